#include "task/polygon_geometry.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "task/task_error.h"

namespace bespoke::task {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct V {
  double x, y;
};

V operator-(V a, V b) { return {a.x - b.x, a.y - b.y}; }
V operator+(V a, V b) { return {a.x + b.x, a.y + b.y}; }
V operator*(V a, double s) { return {a.x * s, a.y * s}; }
double cross(V a, V b) { return a.x * b.y - a.y * b.x; }
double dot(V a, V b) { return a.x * b.x + a.y * b.y; }

std::vector<V> to_v(const data::Polygon& polygon) {
  std::vector<V> out;
  out.reserve(polygon.size());
  for (const data::Point& p : polygon) out.push_back({p.x, p.y});
  return out;
}

data::Polygon to_polygon(const std::vector<V>& points) {
  data::Polygon out;
  out.reserve(points.size());
  for (V p : points) out.push_back({static_cast<float>(p.x), static_cast<float>(p.y)});
  return out;
}

double shoelace(const std::vector<V>& p) {
  double sum = 0.0;
  for (size_t i = 0; i < p.size(); ++i) sum += cross(p[i], p[(i + 1) % p.size()]);
  return sum / 2.0;
}

// Tolerances scale with the coordinates, so a box in a 4000 px photo and one
// in a 32 px crop are judged alike.
double length_scale(const std::vector<V>& p) {
  double scale = 1.0;
  for (V v : p) scale = std::max({scale, std::abs(v.x), std::abs(v.y)});
  return scale;
}

// Without repeated points, back-and-forth spikes and collinear vertices:
// what is left turns at every vertex, which the convexity test and the
// offset's per-edge normals need.
std::vector<V> simplified(std::vector<V> p) {
  const double eps_length = 1e-9 * length_scale(p);
  bool changed = true;
  while (changed && p.size() >= 2) {
    changed = false;
    for (size_t i = 0; i < p.size(); ++i) {
      const V a = p[i] - p[(i + p.size() - 1) % p.size()];
      const V b = p[(i + 1) % p.size()] - p[i];
      const double la = std::hypot(a.x, a.y), lb = std::hypot(b.x, b.y);
      const bool repeated = la <= eps_length;
      const bool straight = p.size() >= 3 && std::abs(cross(a, b)) <= 1e-9 * la * lb;
      if (repeated || straight) {
        p.erase(p.begin() + static_cast<std::ptrdiff_t>(i));
        changed = true;
        break;
      }
    }
  }
  return p;
}

bool convex_points(const std::vector<V>& p) {
  if (p.size() < 3) return false;
  int sign = 0;
  double turning = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const V a = p[i] - p[(i + p.size() - 1) % p.size()];
    const V b = p[(i + 1) % p.size()] - p[i];
    const double c = cross(a, b);
    const int s = c > 0 ? 1 : -1;
    if (sign == 0) sign = s;
    if (s != sign) return false;
    turning += std::atan2(c, dot(a, b));
  }
  return std::abs(std::abs(turning) - 2.0 * kPi) < 1e-6;
}

std::vector<V> oriented(std::vector<V> p) {
  if (shoelace(p) < 0) std::reverse(p.begin(), p.end());
  return p;
}

// The part of `poly` on the inner side of the directed line a -> b (the left
// of a clockwise-on-screen edge, where cross(b - a, p - a) >= 0).
std::vector<V> clip_half_plane(const std::vector<V>& poly, V a, V b) {
  std::vector<V> out;
  if (poly.empty()) return out;
  const V edge = b - a;
  auto side = [&](V p) { return cross(edge, p - a); };
  for (size_t i = 0; i < poly.size(); ++i) {
    const V prev = poly[(i + poly.size() - 1) % poly.size()];
    const V cur = poly[i];
    const double sp = side(prev), sc = side(cur);
    const bool prev_in = sp >= 0, cur_in = sc >= 0;
    if (cur_in != prev_in) out.push_back(prev + (cur - prev) * (sp / (sp - sc)));
    if (cur_in) out.push_back(cur);
  }
  return out;
}

std::vector<V> convex_clip_points(const data::Polygon& clip, std::string_view what) {
  std::vector<V> c = simplified(to_v(clip));
  if (!convex_points(c)) throw TaskError(std::string(what) + ": needs a convex polygon with an area");
  return oriented(std::move(c));
}

}  // namespace

void check_finite(const data::Polygon& polygon, std::string_view what) {
  for (size_t i = 0; i < polygon.size(); ++i) {
    if (!std::isfinite(polygon[i].x) || !std::isfinite(polygon[i].y)) {
      throw TaskError(std::string(what) + ": point " + std::to_string(i) + " is not finite");
    }
  }
}

double signed_area(const data::Polygon& polygon) {
  check_finite(polygon, "polygon area");
  return shoelace(to_v(polygon));
}

double polygon_area(const data::Polygon& polygon) { return std::abs(signed_area(polygon)); }

double polygon_perimeter(const data::Polygon& polygon) {
  check_finite(polygon, "polygon perimeter");
  if (polygon.size() < 2) return 0.0;
  double sum = 0.0;
  for (size_t i = 0; i < polygon.size(); ++i) {
    const data::Point a = polygon[i], b = polygon[(i + 1) % polygon.size()];
    sum += std::hypot(static_cast<double>(b.x) - a.x, static_cast<double>(b.y) - a.y);
  }
  return sum;
}

bool is_convex(const data::Polygon& polygon) {
  check_finite(polygon, "convexity test");
  return convex_points(simplified(to_v(polygon)));
}

data::Polygon clockwise(const data::Polygon& polygon) {
  data::Polygon out = polygon;
  if (signed_area(polygon) < 0) std::reverse(out.begin(), out.end());
  return out;
}

data::Polygon scale_polygon(const data::Polygon& polygon, double sx, double sy) {
  check_finite(polygon, "polygon scaling");
  if (!std::isfinite(sx) || !std::isfinite(sy)) throw TaskError("polygon scaling: scale factors must be finite");
  data::Polygon out;
  out.reserve(polygon.size());
  for (const data::Point& p : polygon) out.push_back({static_cast<float>(p.x * sx), static_cast<float>(p.y * sy)});
  return out;
}

data::Polygon clip_polygon(const data::Polygon& subject, const data::Polygon& clip) {
  check_finite(subject, "polygon clipping, subject");
  check_finite(clip, "polygon clipping, clip");
  const std::vector<V> c = convex_clip_points(clip, "polygon clipping, clip");
  std::vector<V> out = to_v(subject);
  for (size_t i = 0; i < c.size() && !out.empty(); ++i) out = clip_half_plane(out, c[i], c[(i + 1) % c.size()]);
  return to_polygon(oriented(std::move(out)));
}

double intersection_area(const data::Polygon& a, const data::Polygon& b) {
  if (polygon_area(a) == 0.0 || polygon_area(b) == 0.0) return 0.0;
  if (is_convex(b)) return polygon_area(clip_polygon(a, b));
  if (is_convex(a)) return polygon_area(clip_polygon(b, a));
  throw TaskError("polygon intersection: neither polygon is convex");
}

double polygon_iou(const data::Polygon& a, const data::Polygon& b) {
  const double inter = intersection_area(a, b);
  const double uni = polygon_area(a) + polygon_area(b) - inter;
  if (!(uni > 0.0)) return 0.0;
  return std::clamp(inter / uni, 0.0, 1.0);
}

data::Polygon offset_convex_polygon(const data::Polygon& polygon, double distance) {
  check_finite(polygon, "polygon offset");
  if (!std::isfinite(distance)) throw TaskError("polygon offset: the distance is not finite");
  const std::vector<V> p = convex_clip_points(polygon, "polygon offset");
  const size_t n = p.size();
  std::vector<V> inward(n);  // unit normal of edge i (p[i] -> p[i + 1]) towards the inside
  for (size_t i = 0; i < n; ++i) {
    const V e = p[(i + 1) % n] - p[i];
    const double length = std::hypot(e.x, e.y);
    inward[i] = {-e.y / length, e.x / length};
  }
  std::vector<V> out;
  if (distance >= 0) {
    // The mitered corner lies on both moved edge lines: m . n = v . n + d for
    // both outward normals, solved along their sum.
    for (size_t i = 0; i < n; ++i) {
      const V n1 = inward[(i + n - 1) % n] * -1.0, n2 = inward[i] * -1.0;
      out.push_back(p[i] + (n1 + n2) * (distance / (1.0 + dot(n1, n2))));
    }
  } else {
    out = p;
    for (size_t i = 0; i < n && !out.empty(); ++i) {
      const V shift = inward[i] * -distance;
      out = clip_half_plane(out, p[i] + shift, p[(i + 1) % n] + shift);
    }
    out = simplified(std::move(out));
    if (out.size() < 3 || shoelace(out) <= 0.0) return {};
  }
  return to_polygon(out);
}

}  // namespace bespoke::task
