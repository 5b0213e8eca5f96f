// Rasterized label masks: pixel counts against polygon areas, DB's shrunk labels.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "data/polygon.h"
#include "task/polygon_geometry.h"
#include "task/polygon_mask.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

using data::Polygon;

Polygon rect(float x0, float y0, float x1, float y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

int64_t count(const std::vector<uint8_t>& mask) { return std::accumulate(mask.begin(), mask.end(), int64_t{0}); }

}  // namespace

TEST_CASE("mask: a rectangle on pixel edges fills exactly its area") {
  const std::vector<uint8_t> mask = polygon_mask(rect(2, 3, 12, 8), 20, 20);
  CHECK(count(mask) == 50);
  CHECK(mask[3 * 20 + 2] == 1);   // top-left pixel
  CHECK(mask[7 * 20 + 11] == 1);  // bottom-right pixel
  CHECK(mask[8 * 20 + 11] == 0);
  CHECK(mask[3 * 20 + 12] == 0);
}

TEST_CASE("mask: polygons that tile the plane fill every pixel once") {
  std::vector<uint8_t> left(100, 0), right(100, 0);
  fill_polygon({{0, 0}, {6.5f, 0}, {3.5f, 10}, {0, 10}}, 10, 10, left.data());
  fill_polygon({{6.5f, 0}, {10, 0}, {10, 10}, {3.5f, 10}}, 10, 10, right.data());
  for (size_t i = 0; i < 100; ++i) CHECK(left[i] + right[i] == 1);
  CHECK(count(left) == 50);
}

TEST_CASE("mask: pixel counts are close to the area of turned and non-convex polygons") {
  const double a = 25.0 * 3.14159265358979323846 / 180.0, c = std::cos(a), s = std::sin(a);
  Polygon turned;
  for (auto [u, v] : {std::pair{-30.0, -8.0}, {30.0, -8.0}, {30.0, 8.0}, {-30.0, 8.0}}) {
    turned.push_back({static_cast<float>(50 + u * c - v * s), static_cast<float>(40 + u * s + v * c)});
  }
  const int64_t pixels = count(polygon_mask(turned, 80, 100));
  CHECK(std::abs(static_cast<double>(pixels) - polygon_area(turned)) < 0.02 * polygon_area(turned));

  const Polygon l_shape = scale_polygon({{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}, 10, 10);  // area 300
  CHECK(count(polygon_mask(l_shape, 30, 30)) == 300);

  const Polygon triangle = {{0, 0}, {40, 0}, {0, 30}};  // area 600
  CHECK(std::abs(static_cast<double>(count(polygon_mask(triangle, 40, 40))) - 600.0) < 25.0);
}

TEST_CASE("mask: parts outside are cut off; floats and values") {
  CHECK(count(polygon_mask(rect(-5, -5, 5, 5), 10, 10)) == 25);
  CHECK(count(polygon_mask(rect(-1e30f, -1e30f, 1e30f, 1e30f), 4, 4)) == 16);
  CHECK(count(polygon_mask(rect(20, 20, 30, 30), 10, 10)) == 0);
  std::vector<float> map(16, 0.0f);
  fill_polygon(rect(1, 1, 3, 3), 4, 4, map.data(), 0.5f);
  CHECK(std::accumulate(map.begin(), map.end(), 0.0f) == doctest::Approx(2.0f));
}

TEST_CASE("mask: DB's shrunk label keeps the pixels at least D inside") {
  const Polygon square = rect(0, 0, 10, 10);
  const double d = db_shrink_distance(square);  // 100 (1 - 0.16) / 40
  CHECK(d == doctest::Approx(2.1));
  // Centers 0.5 .. 9.5; those at least 2.1 from every side are 2.5 .. 7.5.
  CHECK(count(polygon_mask(square, 10, 10, d)) == 36);
  CHECK(db_shrink_distance(square, 1.0) == 0.0);
  CHECK_THROWS_AS(db_shrink_distance(square, 1.5), TaskError);
  // Non-convex: the eroded L keeps both arms.
  const Polygon l_shape = scale_polygon({{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}, 10, 10);
  const std::vector<uint8_t> eroded = polygon_mask(l_shape, 30, 30, 2.0);
  CHECK(eroded[5 * 30 + 15] == 1);   // horizontal arm
  CHECK(eroded[15 * 30 + 5] == 1);   // vertical arm
  CHECK(eroded[11 * 30 + 11] == 0);  // near the inner corner
  // Rows 2..7 x columns 2..17 and rows 8..17 x columns 2..7, plus pixel (8, 8):
  // its center is 2.12 from the inner corner, whose neighbourhood erodes round.
  CHECK(count(eroded) == 16 * 6 + 6 * 10 + 1);
  CHECK(eroded[8 * 30 + 8] == 1);
}

TEST_CASE("mask: bad input throws") {
  std::vector<uint8_t> mask(4, 0);
  CHECK_THROWS_AS(fill_polygon(rect(0, 0, 1, 1), 0, 4, mask.data()), TaskError);
  CHECK_THROWS_AS(fill_polygon(rect(0, 0, 1, 1), 2, 2, static_cast<uint8_t*>(nullptr)), TaskError);
  CHECK_THROWS_AS(fill_polygon({{0, 0}, {1, 1}}, 2, 2, mask.data()), TaskError);
  CHECK_THROWS_AS(fill_polygon({{0, 0}, {1, std::numeric_limits<float>::quiet_NaN()}, {0, 1}}, 2, 2, mask.data()),
                  TaskError);
  CHECK_THROWS_AS(fill_polygon(rect(0, 0, 1, 1), 2, 2, mask.data(), 1, -1.0), TaskError);
  CHECK_THROWS_AS(polygon_mask(rect(0, 0, 1, 1), -3, 2), TaskError);
}

}  // namespace bespoke::task
