#include "task/db_postprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "task/min_area_rect.h"
#include "task/polygon_geometry.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

void check_input(const float* probability, int64_t map_height, int64_t map_width, int64_t image_height,
                 int64_t image_width, const DbOptions& o) {
  const auto size = [](int64_t h, int64_t w) { return std::to_string(h) + " x " + std::to_string(w); };
  if (map_height <= 0 || map_width <= 0) {
    throw TaskError("DB post-processing: map size " + size(map_height, map_width) + " is not positive");
  }
  if (image_height <= 0 || image_width <= 0) {
    throw TaskError("DB post-processing: image size " + size(image_height, image_width) + " is not positive");
  }
  if (map_height > std::numeric_limits<int32_t>::max() / map_width) {
    throw TaskError("DB post-processing: map size " + size(map_height, map_width) + " is too large");
  }
  if (!probability) throw TaskError("DB post-processing: no probability map");
  if (!(o.thresh >= 0.0f && o.thresh < 1.0f)) throw TaskError("DB post-processing: thresh must be in [0, 1)");
  if (!(o.box_thresh >= 0.0f && o.box_thresh <= 1.0f)) {
    throw TaskError("DB post-processing: box_thresh must be in [0, 1]");
  }
  if (!(o.unclip_ratio >= 0.0) || !std::isfinite(o.unclip_ratio)) {
    throw TaskError("DB post-processing: unclip_ratio must be finite and >= 0");
  }
  if (!(o.min_size >= 0.0) || !std::isfinite(o.min_size)) {
    throw TaskError("DB post-processing: min_size must be finite and >= 0");
  }
  for (int64_t i = 0; i < map_height * map_width; ++i) {
    if (!(probability[i] >= 0.0f && probability[i] <= 1.0f)) {
      throw TaskError("DB post-processing: the value at row " + std::to_string(i / map_width) + ", column " +
                      std::to_string(i % map_width) + " is " + std::to_string(probability[i]) +
                      ", not a probability (the map must be the sigmoid's output)");
    }
  }
}

struct Region {
  std::vector<data::Point> outline;  // per row, the centers of its leftmost and rightmost pixels
  double probability_sum = 0.0;
  int64_t pixels = 0;
};

// Flood fill from `seed` over 8-connected text pixels, marking them visited.
Region collect_region(const float* probability, const std::vector<uint8_t>& text, std::vector<uint8_t>& visited,
                      int32_t height, int32_t width, int32_t seed, std::vector<int32_t>& stack) {
  Region region;
  std::vector<std::pair<int32_t, int32_t>> row_span;  // min, max column per row from the seed's row on
  const int32_t first_row = seed / width;
  stack.clear();
  stack.push_back(seed);
  visited[static_cast<size_t>(seed)] = 1;
  while (!stack.empty()) {
    const int32_t at = stack.back();
    stack.pop_back();
    const int32_t y = at / width, x = at % width;
    region.probability_sum += probability[at];
    ++region.pixels;
    // Raster order of the seeds: nothing of this region lies above first_row.
    const auto r = static_cast<size_t>(y - first_row);
    if (r >= row_span.size()) row_span.resize(r + 1, {width, -1});
    row_span[r].first = std::min(row_span[r].first, x);
    row_span[r].second = std::max(row_span[r].second, x);
    for (int32_t dy = -1; dy <= 1; ++dy) {
      for (int32_t dx = -1; dx <= 1; ++dx) {
        const int32_t ny = y + dy, nx = x + dx;
        if (ny < 0 || ny >= height || nx < 0 || nx >= width) continue;
        const int32_t n = ny * width + nx;
        if (text[static_cast<size_t>(n)] && !visited[static_cast<size_t>(n)]) {
          visited[static_cast<size_t>(n)] = 1;
          stack.push_back(n);
        }
      }
    }
  }
  for (size_t r = 0; r < row_span.size(); ++r) {
    if (row_span[r].second < 0) continue;
    const auto yc = static_cast<float>(static_cast<double>(first_row) + static_cast<double>(r) + 0.5);
    region.outline.push_back({static_cast<float>(row_span[r].first + 0.5), yc});
    region.outline.push_back({static_cast<float>(row_span[r].second + 0.5), yc});
  }
  return region;
}

}  // namespace

std::vector<data::Polygon> db_postprocess(const float* probability, int64_t map_height, int64_t map_width,
                                          int64_t image_height, int64_t image_width, const DbOptions& options,
                                          std::vector<float>* scores) {
  check_input(probability, map_height, map_width, image_height, image_width, options);
  const auto height = static_cast<int32_t>(map_height), width = static_cast<int32_t>(map_width);
  const auto count = static_cast<size_t>(map_height * map_width);
  std::vector<uint8_t> text(count), visited(count, 0);
  for (size_t i = 0; i < count; ++i) text[i] = probability[i] > options.thresh ? 1 : 0;

  const double sx = static_cast<double>(image_width) / static_cast<double>(map_width);
  const double sy = static_cast<double>(image_height) / static_cast<double>(map_height);
  std::vector<data::Polygon> boxes;
  if (scores) scores->clear();
  std::vector<int32_t> stack;
  for (size_t seed = 0; seed < count; ++seed) {
    if (!text[seed] || visited[seed]) continue;
    const Region region = collect_region(probability, text, visited, height, width, static_cast<int32_t>(seed), stack);
    const RotatedRect rect = min_area_rect(region.outline);
    if (rect.min_side() < options.min_size || !(rect.area() > 0.0)) continue;
    const auto score = static_cast<float>(region.probability_sum / static_cast<double>(region.pixels));
    if (score < options.box_thresh) continue;

    const double distance = rect.area() * options.unclip_ratio / polygon_perimeter(rect.corners);
    const RotatedRect grown = min_area_rect(offset_convex_polygon(rect.corners, distance));
    if (grown.min_side() < options.min_size + 2.0) continue;

    data::Polygon box = scale_polygon(grown.corners, sx, sy);
    for (data::Point& p : box) {
      p.x = std::clamp(p.x, 0.0f, static_cast<float>(image_width));
      p.y = std::clamp(p.y, 0.0f, static_cast<float>(image_height));
    }
    boxes.push_back(std::move(box));
    if (scores) scores->push_back(score);
  }
  return boxes;
}

}  // namespace bespoke::task
