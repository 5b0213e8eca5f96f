// Precision, recall and F1 of box matching, and mask IoU, on cases counted by hand.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "data/polygon.h"
#include "task/box_matching.h"
#include "task/mask_iou.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

using data::Polygon;

Polygon rect(float x0, float y0, float x1, float y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

}  // namespace

TEST_CASE("boxes: greedy one-to-one matching, highest IoU first") {
  const std::vector<Polygon> truth = {rect(0, 0, 10, 10), rect(20, 0, 30, 10), rect(40, 0, 50, 10)};
  const std::vector<Polygon> predicted = {
      rect(1, 0, 11, 10),        // IoU 90 / 110 with truth 0, which prediction 1 takes
      rect(0, 0, 10, 10),        // IoU 1 with truth 0
      rect(20, 0, 30, 5),        // IoU exactly 0.5 with truth 1: matches
      rect(100, 100, 110, 110),  // nothing
  };
  const std::vector<BoxMatch> matches = match_boxes(predicted, truth);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].prediction == 1);
  CHECK(matches[0].truth == 0);
  CHECK(matches[0].iou == doctest::Approx(1.0));
  CHECK(matches[1].prediction == 2);
  CHECK(matches[1].truth == 1);
  CHECK(match_boxes(predicted, truth, 0.6).size() == 1);

  BoxScore score;
  score.add(predicted, truth);
  CHECK(score.predicted == 4);
  CHECK(score.truth == 3);
  CHECK(score.matched == 2);
  CHECK(score.precision() == doctest::Approx(0.5));
  CHECK(score.recall() == doctest::Approx(2.0 / 3.0));
  CHECK(score.f1() == doctest::Approx(4.0 / 7.0));

  BoxScore other;
  other.add({rect(0, 0, 5, 5)}, {rect(0, 0, 5, 5)});
  score.merge(other);
  CHECK(score.precision() == doctest::Approx(3.0 / 5.0));
  CHECK(score.recall() == doctest::Approx(3.0 / 4.0));
}

TEST_CASE("boxes: don't-care labels count neither way") {
  const std::vector<Polygon> truth = {rect(0, 0, 10, 10), rect(60, 0, 70, 10)};
  const std::vector<bool> dont_care = {false, true};
  const std::vector<Polygon> predicted = {
      rect(0, 0, 10, 10),   // matches truth 0
      rect(61, 0, 70, 10),  // all on the don't-care label: not counted
      rect(65, 0, 80, 10),  // a third of it on the label: counted, unmatched
  };
  BoxScore score;
  score.add(predicted, truth, dont_care);
  CHECK(score.truth == 1);
  CHECK(score.predicted == 2);
  CHECK(score.matched == 1);
  CHECK(score.recall() == doctest::Approx(1.0));
  CHECK(score.precision() == doctest::Approx(0.5));
}

TEST_CASE("boxes: empty sets") {
  BoxScore none;
  none.add({}, {});
  CHECK(none.precision() == 1.0);
  CHECK(none.recall() == 1.0);
  CHECK(none.f1() == 1.0);
  BoxScore spurious;
  spurious.add({rect(0, 0, 1, 1)}, {});
  CHECK(spurious.precision() == 0.0);
  CHECK(spurious.recall() == 1.0);
  BoxScore missed;
  missed.add({}, {rect(0, 0, 1, 1)});
  CHECK(missed.precision() == 0.0);
  CHECK(missed.recall() == 0.0);
  CHECK(missed.f1() == 0.0);
}

TEST_CASE("boxes: bad input throws") {
  BoxScore score;
  CHECK_THROWS_AS(score.add({rect(0, 0, 1, 1)}, {rect(0, 0, 1, 1)}, {true, false}), TaskError);
  CHECK_THROWS_AS(score.add({}, {}, {}, 0.0), TaskError);
  CHECK_THROWS_AS(score.add({}, {}, {}, 1.5), TaskError);
  CHECK_THROWS_AS(score.add({{{0, 0}, {1, std::numeric_limits<float>::quiet_NaN()}, {0, 1}}}, {rect(0, 0, 1, 1)}),
                  TaskError);
}

TEST_CASE("mask IoU: per-image mean and pooled pixels") {
  MaskIoU iou;
  const std::vector<uint8_t> predicted = {1, 1, 0, 0}, truth = {1, 0, 1, 0};
  iou.add(predicted.data(), truth.data(), 4);  // 1 / 3
  const std::vector<uint8_t> empty(4, 0);
  iou.add(empty.data(), empty.data(), 4);  // nothing to find: 1
  CHECK(iou.images == 2);
  CHECK(iou.mean_iou() == doctest::Approx(2.0 / 3.0));
  CHECK(iou.pixel_iou() == doctest::Approx(1.0 / 3.0));

  MaskIoU maps;
  const std::vector<float> probability = {0.9f, 0.31f, 0.3f, 0.0f};  // on, on, off (not > 0.3), off
  const std::vector<float> label = {1.0f, 0.0f, 1.0f, 0.0f};
  maps.add(probability.data(), label.data(), 4);
  CHECK(maps.mean_iou() == doctest::Approx(1.0 / 3.0));
  maps.merge(iou);
  CHECK(maps.images == 3);
  CHECK(maps.pixel_iou() == doctest::Approx(2.0 / 6.0));

  CHECK(MaskIoU{}.mean_iou() == 1.0);
  const std::vector<float> bad = {std::numeric_limits<float>::quiet_NaN(), 0, 0, 0};
  CHECK_THROWS_AS(maps.add(bad.data(), label.data(), 4), TaskError);
  CHECK_THROWS_AS(maps.add(static_cast<const float*>(nullptr), label.data(), 4), TaskError);
}

}  // namespace bespoke::task
