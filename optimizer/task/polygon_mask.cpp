#include "task/polygon_mask.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "task/polygon_geometry.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

double segment_distance(double px, double py, data::Point a, data::Point b) {
  const double dx = static_cast<double>(b.x) - a.x, dy = static_cast<double>(b.y) - a.y;
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

template <typename T>
void fill(const data::Polygon& polygon, int64_t height, int64_t width, T* mask, T value, double inset) {
  if (height <= 0 || width <= 0) {
    throw TaskError("polygon mask: size " + std::to_string(height) + " x " + std::to_string(width) +
                    " is not positive");
  }
  if (!mask) throw TaskError("polygon mask: no mask to draw into");
  if (polygon.size() < 3) throw TaskError("polygon mask: " + std::to_string(polygon.size()) + " points, needs 3");
  check_finite(polygon, "polygon mask");
  if (!(inset >= 0.0) || !std::isfinite(inset)) throw TaskError("polygon mask: the inset must be finite and >= 0");

  double top = polygon[0].y, bottom = polygon[0].y;
  for (const data::Point& p : polygon) top = std::min<double>(top, p.y), bottom = std::max<double>(bottom, p.y);
  // Rows whose centers can be inside; clamped before the conversion to
  // integers, so huge coordinates cannot overflow.
  const auto first_row = static_cast<int64_t>(std::max(0.0, std::ceil(std::clamp(top, -1.0, height + 1.0) - 0.5)));
  const auto end_row =
      static_cast<int64_t>(std::min<double>(height, std::ceil(std::clamp(bottom, -1.0, height + 1.0) - 0.5)));
  std::vector<double> crossings;
  for (int64_t row = first_row; row < end_row; ++row) {
    const double yc = static_cast<double>(row) + 0.5;
    crossings.clear();
    for (size_t k = 0; k < polygon.size(); ++k) {
      const data::Point a = polygon[k], b = polygon[(k + 1) % polygon.size()];
      // Half-open in y, so a vertex on the scan line counts once and a
      // horizontal edge not at all.
      if ((a.y <= yc && yc < b.y) || (b.y <= yc && yc < a.y)) {
        crossings.push_back(a.x + (yc - a.y) * (static_cast<double>(b.x) - a.x) / (static_cast<double>(b.y) - a.y));
      }
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t k = 0; k + 1 < crossings.size(); k += 2) {
      // Columns whose centers c satisfy left <= c < right.
      const double left = std::clamp(crossings[k], -1.0, width + 1.0);
      const double right = std::clamp(crossings[k + 1], -1.0, width + 1.0);
      const auto begin = static_cast<int64_t>(std::max(0.0, std::ceil(left - 0.5)));
      const auto end = static_cast<int64_t>(std::min<double>(width, std::ceil(right - 0.5)));
      for (int64_t col = begin; col < end; ++col) {
        if (inset > 0.0) {
          const double xc = static_cast<double>(col) + 0.5;
          bool deep = true;
          for (size_t e = 0; e < polygon.size() && deep; ++e) {
            deep = segment_distance(xc, yc, polygon[e], polygon[(e + 1) % polygon.size()]) >= inset;
          }
          if (!deep) continue;
        }
        mask[row * width + col] = value;
      }
    }
  }
}

}  // namespace

void fill_polygon(const data::Polygon& polygon, int64_t height, int64_t width, uint8_t* mask, uint8_t value,
                  double inset) {
  fill(polygon, height, width, mask, value, inset);
}

void fill_polygon(const data::Polygon& polygon, int64_t height, int64_t width, float* mask, float value, double inset) {
  fill(polygon, height, width, mask, value, inset);
}

std::vector<uint8_t> polygon_mask(const data::Polygon& polygon, int64_t height, int64_t width, double inset) {
  if (height <= 0 || width <= 0) {
    throw TaskError("polygon mask: size " + std::to_string(height) + " x " + std::to_string(width) +
                    " is not positive");
  }
  std::vector<uint8_t> mask(static_cast<size_t>(height * width), 0);
  fill_polygon(polygon, height, width, mask.data(), 1, inset);
  return mask;
}

double db_shrink_distance(const data::Polygon& polygon, double ratio) {
  if (!(ratio >= 0.0 && ratio <= 1.0)) throw TaskError("DB shrink distance: the ratio must be in [0, 1]");
  const double perimeter = polygon_perimeter(polygon);
  if (!(perimeter > 0.0)) return 0.0;
  return polygon_area(polygon) * (1.0 - ratio * ratio) / perimeter;
}

}  // namespace bespoke::task
