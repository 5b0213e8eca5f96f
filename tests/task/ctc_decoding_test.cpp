// Greedy CTC decoding on hand-made score matrices.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "task/charset.h"
#include "task/ctc_decoding.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

// [T, C] scores whose argmax per step is `best[t]`, with probability `high`.
std::vector<float> one_hot_scores(const std::vector<int>& best, int classes, float high = 0.9f) {
  std::vector<float> scores(best.size() * static_cast<size_t>(classes),
                            (1.0f - high) / static_cast<float>(classes - 1));
  const auto c = static_cast<size_t>(classes);
  for (size_t t = 0; t < best.size(); ++t) scores[t * c + static_cast<size_t>(best[t])] = high;
  return scores;
}

}  // namespace

TEST_CASE("ctc: repeats collapse, a blank separates equal characters, blanks drop") {
  // Classes: 0 blank, 1 'a', 2 'b', 3 space. "a a - a b b" reads "aab".
  const std::vector<float> scores = one_hot_scores({1, 1, 0, 1, 2, 2}, 4);
  const CtcPath path = ctc_greedy_decode(scores.data(), 6, 4, 0);
  CHECK(path.classes == std::vector<int>{1, 1, 2});
  CHECK(path.confidence() == doctest::Approx(0.9));

  const Charset cs = Charset::from_characters({"a", "b"});
  CHECK(ctc_greedy_text(scores.data(), 6, 4, cs).text == "aab");
}

TEST_CASE("ctc: each character keeps the score of its run's first step") {
  // Two steps of 'a' at 0.6 then 0.8, a blank, 'b' at 0.7: scores 0.6 and 0.7.
  const std::vector<float> scores = {0.1f, 0.6f,  0.3f,   //
                                     0.1f, 0.8f,  0.1f,   //
                                     0.9f, 0.05f, 0.05f,  //
                                     0.2f, 0.1f,  0.7f};
  const CtcPath path = ctc_greedy_decode(scores.data(), 4, 3, 0);
  CHECK(path.classes == std::vector<int>{1, 2});
  REQUIRE(path.scores.size() == 2);
  CHECK(path.scores[0] == doctest::Approx(0.6));
  CHECK(path.scores[1] == doctest::Approx(0.7));
  CHECK(path.confidence() == doctest::Approx(0.65));
}

TEST_CASE("ctc: ties go to the lower class; all blanks and no steps are empty lines") {
  const std::vector<float> tie = {0.5f, 0.5f};  // blank and 'a' tie: the blank wins
  CHECK(ctc_greedy_decode(tie.data(), 1, 2, 0).classes.empty());
  const std::vector<float> blanks = one_hot_scores({0, 0, 0}, 3);
  const CtcPath empty = ctc_greedy_decode(blanks.data(), 3, 3, 0);
  CHECK(empty.classes.empty());
  CHECK(empty.confidence() == 0.0f);
  CHECK(ctc_greedy_decode(nullptr, 0, 3, 0).classes.empty());
}

TEST_CASE("ctc: blank last, and a batch decodes line by line") {
  // Classes 0 'x', 1 'y', 2 blank; line 0 "x x - x", line 1 "y - - y".
  std::vector<float> scores = one_hot_scores({0, 0, 2, 0}, 3);
  const std::vector<float> second = one_hot_scores({1, 2, 2, 1}, 3);
  scores.insert(scores.end(), second.begin(), second.end());
  const std::vector<CtcPath> paths = ctc_greedy_decode_batch(scores.data(), 2, 4, 3, 2);
  REQUIRE(paths.size() == 2);
  CHECK(paths[0].classes == std::vector<int>{0, 0});
  CHECK(paths[1].classes == std::vector<int>{1, 1});
  const Charset cs = Charset::from_characters({"x", "y"}, {BlankPosition::last, false});
  CHECK(ctc_greedy_text(scores.data() + 12, 4, 3, cs).text == "yy");
}

TEST_CASE("ctc: bad input throws") {
  std::vector<float> scores = one_hot_scores({1, 2}, 3);
  CHECK_THROWS_AS(ctc_greedy_decode(scores.data(), 2, 3, 3), TaskError);   // blank outside the classes
  CHECK_THROWS_AS(ctc_greedy_decode(scores.data(), 2, 0, 0), TaskError);   // no classes
  CHECK_THROWS_AS(ctc_greedy_decode(scores.data(), -1, 3, 0), TaskError);  // negative steps
  CHECK_THROWS_AS(ctc_greedy_decode(nullptr, 2, 3, 0), TaskError);
  scores[4] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(ctc_greedy_decode(scores.data(), 2, 3, 0), TaskError);
  scores[4] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_AS(ctc_greedy_decode(scores.data(), 2, 3, 0), TaskError);
  const Charset cs = Charset::from_characters({"a", "b"});  // 4 classes, the model has 3
  CHECK_THROWS_AS(ctc_greedy_text(scores.data(), 2, 3, cs), TaskError);
}

}  // namespace bespoke::task
