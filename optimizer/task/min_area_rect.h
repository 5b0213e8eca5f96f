// The smallest rotated rectangle around a set of points: what a text region
// found as a blob of pixels is reported as (PaddleOCR: cv2.minAreaRect).
//
// Algorithm: the convex hull (Andrew's monotone chain), then rotating
// calipers: the minimum-area enclosing rectangle has a side on a hull edge
// (Freeman & Shapira), so one sweep over the edges, with the three other
// supporting vertices advancing monotonically, tries every candidate in
// O(hull). Ties keep the first edge, so axis-aligned input gives an
// axis-aligned rectangle.
//
// Corners come clockwise on screen from the top-left one, PaddleOCR's order:
// of the two leftmost corners the upper one, then the upper of the two
// rightmost (so corners[0] -> corners[1] runs along the top side).
//
// Edge cases: no points or a non-finite one throw TaskError; one point (or
// all equal) is a rectangle of size 0 x 0, collinear points one of height 0
// along the segment.
#pragma once

#include <vector>

#include "data/polygon.h"

namespace bespoke::task {

// Clockwise on screen, without collinear points; fewer than 3 points when
// the input is one point or collinear.
data::Polygon convex_hull(const std::vector<data::Point>& points);

struct RotatedRect {
  data::Polygon corners;  // 4 points, order as in the header comment
  double width = 0.0;     // |corners[1] - corners[0]|
  double height = 0.0;    // |corners[2] - corners[1]|
  double min_side() const { return width < height ? width : height; }
  double area() const { return width * height; }
};

RotatedRect min_area_rect(const std::vector<data::Point>& points);

// The four corners of a parallelogram in the order above.
data::Polygon order_box_corners(const data::Polygon& quad);

}  // namespace bespoke::task
