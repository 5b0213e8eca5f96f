// DB post-processing of synthetic probability maps whose boxes are worked out
// by hand from the definition in task/db_postprocess.h.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "data/polygon.h"
#include "task/box_matching.h"
#include "task/db_postprocess.h"
#include "task/polygon_geometry.h"
#include "task/polygon_mask.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

using data::Polygon;

Polygon rect(double x0, double y0, double x1, double y1) {
  const auto f = [](double v) { return static_cast<float>(v); };
  return {{f(x0), f(y0)}, {f(x1), f(y0)}, {f(x1), f(y1)}, {f(x0), f(y1)}};
}

// A map of `background` with rows [r0, r1] x columns [c0, c1] set to `p`.
void paint(std::vector<float>& map, int width, int r0, int r1, int c0, int c1, float p) {
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) map[static_cast<size_t>(r * width + c)] = p;
  }
}

// The box DB reports for a block of pixels: the rectangle through the outer
// pixel centers, grown by D = area * 1.5 / perimeter.
Polygon expected_map_box(int r0, int r1, int c0, int c1) {
  const double w = c1 - c0, h = r1 - r0;
  const double d = w * h * 1.5 / (2 * (w + h));
  return rect(c0 + 0.5 - d, r0 + 0.5 - d, c1 + 0.5 + d, r1 + 0.5 + d);
}

}  // namespace

TEST_CASE("db: two text blocks become two boxes; a faint blob and a thin line do not") {
  const int height = 64, width = 96;
  std::vector<float> map(static_cast<size_t>(height * width), 0.05f);
  paint(map, width, 2, 4, 60, 90, 0.9f);     // 3 rows: 2 px between centers < min_size 3
  paint(map, width, 10, 19, 10, 49, 0.9f);   // block A
  paint(map, width, 35, 46, 60, 89, 0.9f);   // block B
  paint(map, width, 50, 59, 10, 29, 0.45f);  // above thresh, below box_thresh

  // The image is 2x the map across, 4x down.
  std::vector<float> scores;
  const std::vector<Polygon> boxes = db_postprocess(map.data(), height, width, 256, 192, {}, &scores);
  REQUIRE(boxes.size() == 2);
  REQUIRE(scores.size() == 2);
  CHECK(scores[0] == doctest::Approx(0.9));

  // Block A: centers 10.5 .. 49.5 x 10.5 .. 19.5, 39 x 9, D = 351 * 1.5 / 96 = 5.484375.
  const Polygon a = scale_polygon(expected_map_box(10, 19, 10, 49), 2, 4);
  CHECK(a[0].x == doctest::Approx(2 * (10.5 - 5.484375)));
  CHECK(a[0].y == doctest::Approx(4 * (10.5 - 5.484375)));
  // Block B: 29 x 11 between centers, D = 319 * 1.5 / 80.
  const Polygon b = scale_polygon(expected_map_box(35, 46, 60, 89), 2, 4);
  CHECK(polygon_iou(boxes[0], a) > 0.99);
  CHECK(polygon_iou(boxes[1], b) > 0.99);
  for (size_t k = 0; k < 4; ++k) {
    CHECK(boxes[0][k].x == doctest::Approx(a[k].x).epsilon(1e-4));
    CHECK(boxes[0][k].y == doctest::Approx(a[k].y).epsilon(1e-4));
  }
  CHECK(signed_area(boxes[0]) > 0);  // clockwise on screen

  BoxScore score;
  score.add(boxes, {b, a});
  CHECK(score.matched == 2);
  CHECK(score.f1() == doctest::Approx(1.0));

  // Lowering box_thresh lets the faint blob through (its box reaches past the
  // bottom of the map and is clamped to the image).
  DbOptions lenient;
  lenient.box_thresh = 0.4f;
  const std::vector<Polygon> more = db_postprocess(map.data(), height, width, 256, 192, lenient, &scores);
  REQUIRE(more.size() == 3);
  CHECK(scores[2] == doctest::Approx(0.45));
  for (const data::Point& p : more[2]) CHECK(p.y <= 256.0f);
}

TEST_CASE("db: a turned text block gives a turned box") {
  const int height = 80, width = 100;
  std::vector<float> map(static_cast<size_t>(height * width), 0.0f);
  const double a = 20.0 * 3.14159265358979323846 / 180.0, c = std::cos(a), s = std::sin(a);
  Polygon turned;
  for (auto [u, v] : {std::pair{-20.0, -5.0}, {20.0, -5.0}, {20.0, 5.0}, {-20.0, 5.0}}) {
    turned.push_back({static_cast<float>(50 + u * c - v * s), static_cast<float>(40 + u * s + v * c)});
  }
  fill_polygon(turned, height, width, map.data(), 0.95f);
  const std::vector<Polygon> boxes = db_postprocess(map.data(), height, width, height, width);
  REQUIRE(boxes.size() == 1);
  // The painted 40 x 10 block grown by D = 400 * 1.5 / 100 = 6 on each side.
  CHECK(polygon_iou(boxes[0], offset_convex_polygon(turned, 6.0)) > 0.8);
  const double top =
      std::atan2(boxes[0][1].y - boxes[0][0].y, boxes[0][1].x - boxes[0][0].x) * 180.0 / 3.14159265358979323846;
  CHECK(top == doctest::Approx(20.0).epsilon(0.15));
}

TEST_CASE("db: boxes at the border are clamped to the image; an empty map has none") {
  const int height = 20, width = 30;
  std::vector<float> map(static_cast<size_t>(height * width), 0.0f);
  CHECK(db_postprocess(map.data(), height, width, height, width).empty());
  paint(map, width, 0, 9, 0, 19, 0.8f);
  const std::vector<Polygon> boxes = db_postprocess(map.data(), height, width, height, width);
  REQUIRE(boxes.size() == 1);
  CHECK(boxes[0][0].x == 0.0f);
  CHECK(boxes[0][0].y == 0.0f);
  for (const data::Point& p : boxes[0]) {
    CHECK(p.x >= 0.0f);
    CHECK(p.x <= 30.0f);
    CHECK(p.y <= 20.0f);
  }
}

TEST_CASE("db: bad maps and options throw") {
  std::vector<float> map(12, 0.5f);
  CHECK_THROWS_AS(db_postprocess(map.data(), 0, 4, 3, 4), TaskError);
  CHECK_THROWS_AS(db_postprocess(map.data(), 3, 4, 3, -1), TaskError);
  CHECK_THROWS_AS(db_postprocess(nullptr, 3, 4, 3, 4), TaskError);
  DbOptions bad;
  bad.thresh = 1.0f;
  CHECK_THROWS_AS(db_postprocess(map.data(), 3, 4, 3, 4, bad), TaskError);
  bad = {};
  bad.unclip_ratio = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(db_postprocess(map.data(), 3, 4, 3, 4, bad), TaskError);
  map[5] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(db_postprocess(map.data(), 3, 4, 3, 4), TaskError);
  map[5] = 2.5f;  // a logit, not a probability
  CHECK_THROWS_AS(db_postprocess(map.data(), 3, 4, 3, 4), TaskError);
}

}  // namespace bespoke::task
