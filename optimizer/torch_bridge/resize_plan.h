// Where each output row / column of an ONNX Resize reads from, computed the
// way the runtime's reference backend does (runtime/src/backends/reference/
// resize.cpp: coordinates in double, a shape-derived scale applied as
// "* in / out" so exact ties stay exact, then rounding or clamping), so that
// the LibTorch kernel gathers exactly the same source pixels. LibTorch-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::torchbridge {

enum class CoordinateTransform { kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric };
enum class NearestRounding { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

// nullopt for a name op_set.h does not allow.
std::optional<CoordinateTransform> parse_coordinate_transform(const std::string& name);
std::optional<NearestRounding> parse_nearest_rounding(const std::string& name);

struct ResizeAxisPlan {
  std::vector<int64_t> first;   // nearest: the source index; linear: the lower tap
  std::vector<int64_t> second;  // linear only: the upper tap (clamped to in - 1)
  std::vector<float> weight;    // linear only: weight of the upper tap
};

// One axis of `in` elements resized to `out`; scale > 0 is the node's scale
// for the axis (as float, as the .bspk stores it), 0 derives it from the sizes.
ResizeAxisPlan plan_nearest_axis(CoordinateTransform transform, NearestRounding rounding, int64_t in, int64_t out,
                                 float scale);
ResizeAxisPlan plan_linear_axis(CoordinateTransform transform, int64_t in, int64_t out, float scale);

}  // namespace bespoke::torchbridge
