// Edit distance, character error rate and line accuracy on cases counted by hand.
#include <doctest/doctest.h>

#include <vector>

#include "task/task_error.h"
#include "task/text_metrics.h"

namespace bespoke::task {

TEST_CASE("edit distance: classic cases") {
  CHECK(utf8_edit_distance("kitten", "sitting") == 3);
  CHECK(utf8_edit_distance("", "abc") == 3);
  CHECK(utf8_edit_distance("abc", "") == 3);
  CHECK(utf8_edit_distance("same", "same") == 0);
  CHECK(utf8_edit_distance("ab", "ba") == 2);  // no transpositions in Levenshtein
  CHECK(edit_distance(std::vector<int>{1, 2, 3}, std::vector<int>{1, 3}) == 1);
  CHECK(edit_distance(std::u32string(U"flaw"), std::u32string(U"lawn")) == 2);
}

TEST_CASE("edit distance: a Chinese character is one edit, not three bytes") {
  // 中文字 vs 中字: one deletion; 中文 vs 英文: one substitution.
  CHECK(utf8_edit_distance("\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97", "\xE4\xB8\xAD\xE5\xAD\x97") == 1);
  CHECK(utf8_edit_distance("\xE4\xB8\xAD\xE6\x96\x87", "\xE8\x8B\xB1\xE6\x96\x87") == 1);
  CHECK_THROWS_AS(utf8_edit_distance("\xE4\xB8", "a"), TaskError);
}

TEST_CASE("text score: CER pools edits over reference characters, line accuracy counts exact lines") {
  TextScore score;
  score.add("hello", "hello");                            // 0 edits, 5 chars
  score.add("wrld", "world");                             // 1 edit, 5 chars
  score.add("cat", "car");                                // 1 edit, 3 chars
  score.add("\xE4\xB8\xAD", "\xE4\xB8\xAD\xE6\x96\x87");  // 1 edit, 2 chars
  CHECK(score.lines == 4);
  CHECK(score.exact == 1);
  CHECK(score.edits == 3);
  CHECK(score.reference_chars == 15);
  CHECK(score.line_accuracy() == doctest::Approx(0.25));
  CHECK(score.cer() == doctest::Approx(3.0 / 15.0));

  TextScore classes;
  classes.add(std::vector<int>{1, 2, 3}, std::vector<int>{1, 2, 3});
  classes.add(std::vector<int>{}, std::vector<int>{4, 5});
  CHECK(classes.line_accuracy() == doctest::Approx(0.5));
  CHECK(classes.cer() == doctest::Approx(2.0 / 5.0));

  score.merge(classes);
  CHECK(score.lines == 6);
  CHECK(score.cer() == doctest::Approx(5.0 / 20.0));
}

TEST_CASE("text score: empty sets and empty references") {
  const TextScore none;
  CHECK(none.line_accuracy() == 1.0);
  CHECK(none.cer() == 0.0);
  TextScore inserted;
  inserted.add("abc", "");  // every reference empty: the inserted characters count
  CHECK(inserted.cer() == doctest::Approx(3.0));
  CHECK(inserted.line_accuracy() == 0.0);
  TextScore both_empty;
  both_empty.add("", "");
  CHECK(both_empty.cer() == 0.0);
  CHECK(both_empty.line_accuracy() == 1.0);
}

}  // namespace bespoke::task
