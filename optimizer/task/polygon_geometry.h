// Plane geometry of text boxes (data::Polygon, image pixels, x right, y down).
//
// Definitions:
//  * orientation: vertices run *clockwise on screen* (y down) when the
//    shoelace sum  sum_i (x_i y_{i+1} - x_{i+1} y_i) / 2  is positive; this is
//    signed_area(), and every polygon this folder returns runs that way;
//  * intersection: Sutherland–Hodgman, clipping one polygon by each edge of
//    the other; exact when the clipping polygon is convex (the clipped one
//    may be any simple polygon: the result can have zero-width seams, whose
//    shoelace area is still right);
//  * IoU: intersection area / union area;
//  * offset: every edge line moved by `distance` along its normal; outward
//    the corners are mitered (for a rectangle, exactly the rectangle grown by
//    `distance` on each side, whose minimum-area rectangle is also that of
//    pyclipper's rounded offset that PaddleOCR uses); inward the polygon is
//    clipped by each moved edge, so edges that shrink away disappear and a
//    polygon shrunk past its inradius becomes empty.
//
// Edge cases: a non-finite coordinate throws TaskError everywhere. Fewer than
// 3 points or collinear points make a polygon without area: area 0, IoU 0
// (also with itself: a box without area matches nothing). Intersections and
// IoU need at least one convex polygon and offsets a convex one with an area;
// otherwise TaskError. Convexity allows collinear and repeated vertices but
// not a self-crossing outline (a pentagram turns the same way at every
// vertex, yet winds twice).
#pragma once

#include <string_view>

#include "data/polygon.h"

namespace bespoke::task {

// Throws TaskError "<what>: ..." for a non-finite coordinate.
void check_finite(const data::Polygon& polygon, std::string_view what);

double signed_area(const data::Polygon& polygon);
double polygon_area(const data::Polygon& polygon);  // |signed_area|
double polygon_perimeter(const data::Polygon& polygon);
bool is_convex(const data::Polygon& polygon);

// The same outline with clockwise-on-screen vertex order (reversed if needed).
data::Polygon clockwise(const data::Polygon& polygon);
// Every point scaled: (x * sx, y * sy), e.g. from image to map pixels.
data::Polygon scale_polygon(const data::Polygon& polygon, double sx, double sy);

// The part of `subject` inside the convex `clip` (clockwise, possibly empty).
data::Polygon clip_polygon(const data::Polygon& subject, const data::Polygon& clip);
double intersection_area(const data::Polygon& a, const data::Polygon& b);
double polygon_iou(const data::Polygon& a, const data::Polygon& b);

// distance > 0 grows the polygon, < 0 shrinks it (possibly to the empty polygon).
data::Polygon offset_convex_polygon(const data::Polygon& polygon, double distance);

}  // namespace bespoke::task
