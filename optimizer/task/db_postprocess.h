// Text boxes from a DB text detector's probability map (PP-OCR's detector:
// output [N, 1, H, W] after the sigmoid), as PaddleOCR's DBPostProcess finds
// them, without OpenCV:
//  1. binarize: a pixel is text when its probability is > thresh;
//  2. regions: the 8-connected components of the text pixels (PaddleOCR
//     traces contours; the outer contour of a component is the same region);
//  3. per region the minimum-area rectangle of its pixel centers (the
//     points PaddleOCR's contours pass through, so sizes agree with it;
//     min_area_rect.h); dropped when its shorter side is < min_size (so with
//     min_size 3, a region must be at least 4 pixels thick);
//  4. score: the mean probability over the region's pixels; dropped when
//     < box_thresh. PaddleOCR's "fast" score averages over the rectangle
//     instead, corners outside the region included, so ours is a little
//     higher for slanted or ragged regions and does not depend on how a
//     rotated rectangle is rasterized;
//  5. unclip: DB predicts a shrunk text region, so the rectangle is grown by
//     D = area * unclip_ratio / perimeter on every side (polygon_geometry.h:
//     offset_convex_polygon), and its minimum-area rectangle kept; dropped
//     when its shorter side is < min_size + 2;
//  6. scaled from map to image pixels (x * image_width / map_width, likewise
//     y) and clamped to the image, corner by corner as PaddleOCR does; not
//     rounded to whole pixels.
// Boxes come in the order of their regions' first pixels in raster order,
// corners clockwise on screen from the top-left (min_area_rect.h).
//
// Bad input throws TaskError: a null map, a size that is not positive, a
// probability that is not finite or outside [0, 1] (logits instead of the
// sigmoid's output would otherwise be thresholded silently), or options out
// of range.
#pragma once

#include <cstdint>
#include <vector>

#include "data/polygon.h"

namespace bespoke::task {

struct DbOptions {
  float thresh = 0.3f;        // binarization, in [0, 1)
  float box_thresh = 0.6f;    // minimum region score, in [0, 1]
  double unclip_ratio = 1.5;  // >= 0
  double min_size = 3.0;      // pixels of the map, >= 0
};

// `probability` is map_height x map_width, row-major; the boxes are in
// pixels of an image_height x image_width image. When `scores` is given it
// receives each box's score, in the same order.
std::vector<data::Polygon> db_postprocess(const float* probability, int64_t map_height, int64_t map_width,
                                          int64_t image_height, int64_t image_width, const DbOptions& options = {},
                                          std::vector<float>* scores = nullptr);

}  // namespace bespoke::task
