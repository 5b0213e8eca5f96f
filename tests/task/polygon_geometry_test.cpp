// Areas, IoU, clipping, offsets and minimum-area rectangles of polygons whose
// answers are known in closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "data/polygon.h"
#include "task/min_area_rect.h"
#include "task/polygon_geometry.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

using data::Point;
using data::Polygon;

Polygon rect(float x0, float y0, float x1, float y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

// A w x h rectangle centered at (cx, cy), turned by `degrees` (clockwise on screen).
Polygon turned_rect(double cx, double cy, double w, double h, double degrees) {
  const double a = degrees * 3.14159265358979323846 / 180.0, c = std::cos(a), s = std::sin(a);
  Polygon out;
  for (auto [u, v] : {std::pair{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}}) {
    out.push_back({static_cast<float>(cx + u * c - v * s), static_cast<float>(cy + u * s + v * c)});
  }
  return out;
}

bool same_point(Point a, Point b, double tolerance = 1e-4) {
  return std::abs(a.x - b.x) <= tolerance && std::abs(a.y - b.y) <= tolerance;
}

}  // namespace

TEST_CASE("geometry: shoelace area is positive clockwise on screen") {
  const Polygon r = rect(0, 0, 4, 3);
  CHECK(signed_area(r) == doctest::Approx(12.0));
  const Polygon reversed(r.rbegin(), r.rend());
  CHECK(signed_area(reversed) == doctest::Approx(-12.0));
  CHECK(polygon_area(reversed) == doctest::Approx(12.0));
  CHECK(signed_area(clockwise(reversed)) == doctest::Approx(12.0));
  CHECK(polygon_perimeter(r) == doctest::Approx(14.0));
  CHECK(polygon_area({{0, 0}, {1, 1}}) == 0.0);
  CHECK(polygon_area(scale_polygon(r, 2.0, 0.5)) == doctest::Approx(12.0));
}

TEST_CASE("geometry: convexity") {
  CHECK(is_convex(rect(0, 0, 1, 1)));
  CHECK(is_convex({{0, 0}, {1, 0}, {2, 0}, {2, 1}, {2, 1}, {0, 1}}));        // collinear and repeated points
  CHECK_FALSE(is_convex({{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}));  // an L
  Polygon star;  // every other vertex of a regular pentagon: same turn everywhere, winds twice
  for (int k = 0; k < 5; ++k) {
    const double a = 2 * 3.14159265358979323846 * (2 * k) / 5;
    star.push_back({static_cast<float>(std::cos(a)), static_cast<float>(std::sin(a))});
  }
  CHECK_FALSE(is_convex(star));
  CHECK_FALSE(is_convex({{0, 0}, {1, 1}, {2, 2}}));  // no area
}

TEST_CASE("geometry: IoU of known pairs") {
  const Polygon a = rect(0, 0, 1, 1);
  CHECK(polygon_iou(a, rect(0.5f, 0, 1.5f, 1)) == doctest::Approx(1.0 / 3.0));  // 0.5 / 1.5
  CHECK(polygon_iou(a, a) == doctest::Approx(1.0));
  CHECK(polygon_iou(a, rect(2, 2, 3, 3)) == 0.0);
  CHECK(polygon_iou(a, rect(0.5f, 0.5f, 1.5f, 1.5f)) == doctest::Approx(0.25 / 1.75));
  // A square and the same square turned by 45 degrees: the octagon of area
  // 8 (sqrt 2 - 1) over a union of 8 - that, IoU 1 / sqrt 2.
  const Polygon square = turned_rect(0, 0, 2, 2, 0), diamond = turned_rect(0, 0, 2, 2, 45);
  CHECK(intersection_area(square, diamond) == doctest::Approx(8.0 * (std::sqrt(2.0) - 1.0)).epsilon(1e-5));
  CHECK(polygon_iou(square, diamond) == doctest::Approx(1.0 / std::sqrt(2.0)).epsilon(1e-5));
  // Orientation does not matter.
  const Polygon reversed(diamond.rbegin(), diamond.rend());
  CHECK(polygon_iou(reversed, square) == doctest::Approx(1.0 / std::sqrt(2.0)).epsilon(1e-5));
  // A box without area matches nothing, not even itself.
  CHECK(polygon_iou({{0, 0}, {1, 0}, {2, 0}}, {{0, 0}, {1, 0}, {2, 0}}) == 0.0);
}

TEST_CASE("geometry: a non-convex subject is clipped exactly by a convex polygon") {
  const Polygon l_shape = {{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}};  // area 3
  const Polygon window = rect(0.5f, 0.5f, 1.5f, 1.5f);                       // misses the L's notch quarter
  CHECK(intersection_area(l_shape, window) == doctest::Approx(0.75));
  CHECK(intersection_area(window, l_shape) == doctest::Approx(0.75));
  CHECK(polygon_iou(l_shape, window) == doctest::Approx(0.75 / 3.25));
  CHECK_THROWS_AS(intersection_area(l_shape, l_shape), TaskError);
  CHECK(clip_polygon(window, rect(5, 5, 6, 6)).empty());
}

TEST_CASE("geometry: offsets grow a rectangle on every side and shrink it away") {
  const Polygon r = rect(0, 0, 4, 2);
  const Polygon grown = offset_convex_polygon(r, 1.0);
  CHECK(polygon_area(grown) == doctest::Approx(6.0 * 4.0));
  CHECK(signed_area(grown) > 0);
  CHECK(same_point(grown[0], {-1, -1}));
  CHECK(same_point(grown[2], {5, 3}));
  const Polygon shrunk = offset_convex_polygon(r, -0.5);
  CHECK(polygon_area(shrunk) == doctest::Approx(3.0 * 1.0));
  CHECK(offset_convex_polygon(r, -1.5).empty());  // past the inradius of 1
  CHECK(polygon_area(offset_convex_polygon(r, 0.0)) == doctest::Approx(8.0));
  // A turned rectangle grows by the same amount.
  const Polygon turned = turned_rect(10, 10, 4, 2, 30);
  CHECK(polygon_area(offset_convex_polygon(turned, 1.0)) == doctest::Approx(24.0).epsilon(1e-5));
  CHECK_THROWS_AS(offset_convex_polygon({{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}, 1.0), TaskError);
  CHECK_THROWS_AS(offset_convex_polygon({{0, 0}, {1, 0}}, 1.0), TaskError);
}

TEST_CASE("geometry: unclip of an axis-aligned rectangle, as DB does it") {
  // 10 x 4: D = area * 1.5 / perimeter = 40 * 1.5 / 28 on each side.
  const Polygon r = rect(20, 30, 30, 34);
  const double d = polygon_area(r) * 1.5 / polygon_perimeter(r);
  CHECK(d == doctest::Approx(60.0 / 28.0));
  const RotatedRect unclipped = min_area_rect(offset_convex_polygon(r, d));
  CHECK(unclipped.width == doctest::Approx(10 + 2 * d).epsilon(1e-5));
  CHECK(unclipped.height == doctest::Approx(4 + 2 * d).epsilon(1e-5));
  CHECK(same_point(unclipped.corners[0], {static_cast<float>(20 - d), static_cast<float>(30 - d)}));
  CHECK(same_point(unclipped.corners[2], {static_cast<float>(30 + d), static_cast<float>(34 + d)}));
}

TEST_CASE("min area rect: axis-aligned points give their bounding box, corners from the top-left") {
  const std::vector<Point> points = {{1, 1}, {5, 2}, {3, 4}, {1, 4}, {5, 1}, {2, 2}};
  const RotatedRect r = min_area_rect(points);
  CHECK(r.area() == doctest::Approx(12.0));
  CHECK(same_point(r.corners[0], {1, 1}));
  CHECK(same_point(r.corners[1], {5, 1}));
  CHECK(same_point(r.corners[2], {5, 4}));
  CHECK(same_point(r.corners[3], {1, 4}));
  CHECK(r.width == doctest::Approx(4.0));
  CHECK(r.height == doctest::Approx(3.0));
}

TEST_CASE("min area rect: a turned rectangle's points give it back") {
  const Polygon corners = turned_rect(50, 40, 30, 8, 20);
  std::vector<Point> points = corners;
  points.push_back({50, 40});  // inside points change nothing
  points.push_back({52, 41});
  const RotatedRect r = min_area_rect(points);
  CHECK(r.area() == doctest::Approx(240.0).epsilon(1e-4));
  CHECK(r.width == doctest::Approx(30.0).epsilon(1e-4));  // along the top side
  CHECK(r.height == doctest::Approx(8.0).epsilon(1e-4));
  CHECK(signed_area(r.corners) > 0);
  for (const Point& c : corners) {
    bool found = false;
    for (const Point& q : r.corners) found = found || same_point(c, q, 1e-3);
    CHECK(found);
  }
  CHECK(same_point(r.corners[0], order_box_corners(corners)[0], 1e-3));
}

TEST_CASE("min area rect: hull and degenerate inputs") {
  const Polygon hull = convex_hull({{0, 0}, {2, 0}, {1, 0}, {2, 2}, {0, 2}, {1, 1}});
  CHECK(hull.size() == 4);  // the collinear (1, 0) and inner (1, 1) are gone
  CHECK(signed_area(hull) == doctest::Approx(4.0));
  const RotatedRect point = min_area_rect({{3, 3}, {3, 3}});
  CHECK(point.width == 0.0);
  CHECK(point.height == 0.0);
  const RotatedRect segment = min_area_rect({{0, 0}, {1, 1}, {3, 3}});
  CHECK(segment.min_side() == 0.0);
  CHECK(std::max(segment.width, segment.height) == doctest::Approx(3.0 * std::sqrt(2.0)));
  CHECK_THROWS_AS(min_area_rect({}), TaskError);
  CHECK_THROWS_AS(min_area_rect({{0, 0}, {1, std::numeric_limits<float>::quiet_NaN()}}), TaskError);
  CHECK_THROWS_AS(polygon_area({{0, 0}, {std::numeric_limits<float>::infinity(), 0}, {0, 1}}), TaskError);
}

}  // namespace bespoke::task
