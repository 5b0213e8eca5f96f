// A text region as PaddleOCR's detection labels give it: a closed polygon of
// points in image pixels (x to the right, y down), usually the four corners
// of a quadrilateral in clockwise order. Shared by the label reader
// (ppocr_labels.h), the mask renderer and the task head's box metrics.
#pragma once

#include <vector>

namespace bespoke::data {

struct Point {
  float x = 0.0f;
  float y = 0.0f;
};

using Polygon = std::vector<Point>;

}  // namespace bespoke::data
