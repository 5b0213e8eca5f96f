#include "task/min_area_rect.h"

#include <algorithm>
#include <cmath>

#include "task/polygon_geometry.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

struct V {
  double x, y;
};

V operator-(V a, V b) { return {a.x - b.x, a.y - b.y}; }
double cross(V a, V b) { return a.x * b.y - a.y * b.x; }
double dot(V a, V b) { return a.x * b.x + a.y * b.y; }
bool operator<(V a, V b) { return a.x < b.x || (a.x == b.x && a.y < b.y); }
bool operator==(V a, V b) { return a.x == b.x && a.y == b.y; }

std::vector<V> hull_of(const std::vector<data::Point>& points) {
  std::vector<V> p;
  p.reserve(points.size());
  for (const data::Point& q : points) p.push_back({q.x, q.y});
  std::sort(p.begin(), p.end());
  p.erase(std::unique(p.begin(), p.end()), p.end());
  if (p.size() < 3) return p;
  // Lower then upper chain; popping on cross <= 0 drops collinear points too.
  std::vector<V> hull(2 * p.size());
  size_t k = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(hull[k - 1] - hull[k - 2], p[i] - hull[k - 2]) <= 0) --k;
    hull[k++] = p[i];
  }
  for (size_t i = p.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && cross(hull[k - 1] - hull[k - 2], p[i] - hull[k - 2]) <= 0) --k;
    hull[k++] = p[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

data::Point point(double x, double y) { return {static_cast<float>(x), static_cast<float>(y)}; }

RotatedRect from_corners(const data::Polygon& corners) {
  RotatedRect r;
  r.corners = order_box_corners(corners);
  const auto distance = [](data::Point a, data::Point b) {
    return std::hypot(static_cast<double>(b.x) - a.x, static_cast<double>(b.y) - a.y);
  };
  r.width = distance(r.corners[0], r.corners[1]);
  r.height = distance(r.corners[1], r.corners[2]);
  return r;
}

}  // namespace

data::Polygon convex_hull(const std::vector<data::Point>& points) {
  check_finite(points, "convex hull");
  data::Polygon out;
  for (V v : hull_of(points)) out.push_back(point(v.x, v.y));
  return out;
}

RotatedRect min_area_rect(const std::vector<data::Point>& points) {
  check_finite(points, "minimum-area rectangle");
  if (points.empty()) throw TaskError("minimum-area rectangle: no points");
  const std::vector<V> h = hull_of(points);
  if (h.size() <= 2) {  // one point or a segment: a rectangle without area along it
    const data::Point a = point(h.front().x, h.front().y), b = point(h.back().x, h.back().y);
    return from_corners({a, b, b, a});
  }

  const size_t n = h.size();
  const auto next = [n](size_t i) { return (i + 1) % n; };
  // Supporting vertices for edge i: farthest along the edge (right), against
  // it (left) and away from it (far). Each only moves forward as i does.
  size_t right = 0, far = 0, left = 0;
  double best_area = -1.0;
  V best_u{1, 0}, best_n{0, 1};
  double best_lo_u = 0, best_hi_u = 0, best_lo_n = 0, best_hi_n = 0;
  for (size_t i = 0; i < n; ++i) {
    const V e = h[next(i)] - h[i];
    const double length = std::hypot(e.x, e.y);
    const V u{e.x / length, e.y / length};
    const V nrm{-u.y, u.x};  // towards the inside of the clockwise-on-screen hull
    if (i == 0) {
      for (size_t j = 0; j < n; ++j) {
        if (dot(h[j], u) > dot(h[right], u)) right = j;
        if (dot(h[j], nrm) > dot(h[far], nrm)) far = j;
        if (dot(h[j], u) < dot(h[left], u)) left = j;
      }
    } else {
      // Bounded by n steps each: a plateau (an edge perpendicular to u) must not spin.
      for (size_t s = 0; s < n && dot(h[next(right)], u) > dot(h[right], u); ++s) right = next(right);
      for (size_t s = 0; s < n && dot(h[next(far)], nrm) > dot(h[far], nrm); ++s) far = next(far);
      for (size_t s = 0; s < n && dot(h[next(left)], u) < dot(h[left], u); ++s) left = next(left);
    }
    const double lo_u = dot(h[left], u), hi_u = dot(h[right], u);
    const double lo_n = dot(h[i], nrm), hi_n = dot(h[far], nrm);
    const double area = (hi_u - lo_u) * (hi_n - lo_n);
    if (best_area < 0 || area < best_area * (1.0 - 1e-12)) {
      best_area = area;
      best_u = u, best_n = nrm;
      best_lo_u = lo_u, best_hi_u = hi_u, best_lo_n = lo_n, best_hi_n = hi_n;
    }
  }
  const auto corner = [&](double a, double b) {
    return point(best_u.x * a + best_n.x * b, best_u.y * a + best_n.y * b);
  };
  return from_corners({corner(best_lo_u, best_lo_n), corner(best_hi_u, best_lo_n), corner(best_hi_u, best_hi_n),
                       corner(best_lo_u, best_hi_n)});
}

data::Polygon order_box_corners(const data::Polygon& quad) {
  check_finite(quad, "box corners");
  if (quad.size() != 4) throw TaskError("box corners: " + std::to_string(quad.size()) + " points, not 4");
  data::Polygon p = quad;
  std::sort(p.begin(), p.end(), [](data::Point a, data::Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  const auto upper_first = [](data::Point& a, data::Point& b) {
    if (b.y < a.y) std::swap(a, b);
  };
  upper_first(p[0], p[1]);  // top-left, bottom-left
  upper_first(p[2], p[3]);  // top-right, bottom-right
  return {p[0], p[2], p[3], p[1]};
}

}  // namespace bespoke::task
