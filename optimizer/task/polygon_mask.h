// Ground-truth masks from text polygons: the targets of a DB text detector's
// probability map, whole for the metric, shrunk for the loss.
//
// Definitions:
//  * a pixel (column i, row j) is inside a polygon when its center
//    (i + 0.5, j + 0.5) is: even-odd rule, so any simple polygon works
//    (curved-text labels too); a center exactly on the left or top edge is
//    inside, on the right or bottom edge outside, so polygons that tile the
//    plane fill each pixel once and a polygon of area A fills about A pixels;
//  * shrunk by `inset`: inside, and at least `inset` away from every edge;
//    this is the polygon eroded by a disc, what pyclipper's inward offset
//    that DB's label maker uses draws, also for non-convex polygons;
//  * DB's shrink distance: D = A (1 - r^2) / L for area A, perimeter L and
//    shrink ratio r (0.4 in DB and PP-OCR).
// Coordinates are in mask pixels: scale labels to the map first
// (scale_polygon). Parts outside the mask are cut off.
//
// Edge cases: fewer than 3 points, a non-finite coordinate, a negative or
// non-finite inset, a mask size that is not positive or a null mask throw
// TaskError; a polygon without area fills nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "data/polygon.h"

namespace bespoke::task {

// Sets the inside pixels of the height x width row-major `mask` to `value`
// (others are left as they are, so several polygons draw into one mask).
void fill_polygon(const data::Polygon& polygon, int64_t height, int64_t width, uint8_t* mask, uint8_t value = 1,
                  double inset = 0.0);
void fill_polygon(const data::Polygon& polygon, int64_t height, int64_t width, float* mask, float value = 1.0f,
                  double inset = 0.0);

// A new height x width mask of 0 and 1.
std::vector<uint8_t> polygon_mask(const data::Polygon& polygon, int64_t height, int64_t width, double inset = 0.0);

// DB's shrink ratio r for its label kernels (and so for the maps it predicts).
inline constexpr double kDbShrinkRatio = 0.4;

// D = A (1 - ratio^2) / L; 0 for a polygon without perimeter. Throws
// TaskError for a ratio outside [0, 1].
double db_shrink_distance(const data::Polygon& polygon, double ratio = 0.4);

}  // namespace bespoke::task
