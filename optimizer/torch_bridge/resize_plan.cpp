#include "torch_bridge/resize_plan.h"

#include <algorithm>
#include <cmath>

namespace bespoke::torchbridge {

namespace {

// Source coordinate of output index x along one axis.
double source_coordinate(CoordinateTransform transform, int64_t x, int64_t in, int64_t out, float scale) {
  auto unscale = [&](double v) {
    return scale > 0.0f ? v / static_cast<double>(scale) : v * static_cast<double>(in) / static_cast<double>(out);
  };
  switch (transform) {
    case CoordinateTransform::kHalfPixel: return unscale(static_cast<double>(x) + 0.5) - 0.5;
    case CoordinateTransform::kPytorchHalfPixel: return out > 1 ? unscale(static_cast<double>(x) + 0.5) - 0.5 : 0.0;
    case CoordinateTransform::kAlignCorners: {
      // ONNX: the resized length is in * scale (fractional) when a scale was given.
      const double resized =
          scale > 0.0f ? static_cast<double>(in) * static_cast<double>(scale) : static_cast<double>(out);
      return out > 1 && resized > 1.0 ? static_cast<double>(x) * static_cast<double>(in - 1) / (resized - 1.0) : 0.0;
    }
    case CoordinateTransform::kAsymmetric: return unscale(static_cast<double>(x));
  }
  return 0.0;
}

int64_t round_coordinate(NearestRounding rounding, double coordinate) {
  const double floor = std::floor(coordinate);
  const double fraction = coordinate - floor;
  switch (rounding) {
    case NearestRounding::kRoundPreferFloor: return static_cast<int64_t>(fraction > 0.5 ? floor + 1 : floor);
    case NearestRounding::kRoundPreferCeil: return static_cast<int64_t>(fraction >= 0.5 ? floor + 1 : floor);
    case NearestRounding::kFloor: return static_cast<int64_t>(floor);
    case NearestRounding::kCeil: return static_cast<int64_t>(std::ceil(coordinate));
  }
  return static_cast<int64_t>(floor);
}

}  // namespace

std::optional<CoordinateTransform> parse_coordinate_transform(const std::string& name) {
  if (name == "half_pixel") return CoordinateTransform::kHalfPixel;
  if (name == "pytorch_half_pixel") return CoordinateTransform::kPytorchHalfPixel;
  if (name == "align_corners") return CoordinateTransform::kAlignCorners;
  if (name == "asymmetric") return CoordinateTransform::kAsymmetric;
  return std::nullopt;
}

std::optional<NearestRounding> parse_nearest_rounding(const std::string& name) {
  if (name == "round_prefer_floor") return NearestRounding::kRoundPreferFloor;
  if (name == "round_prefer_ceil") return NearestRounding::kRoundPreferCeil;
  if (name == "floor") return NearestRounding::kFloor;
  if (name == "ceil") return NearestRounding::kCeil;
  return std::nullopt;
}

ResizeAxisPlan plan_nearest_axis(CoordinateTransform transform, NearestRounding rounding, int64_t in, int64_t out,
                                 float scale) {
  ResizeAxisPlan plan;
  for (int64_t x = 0; x < out; ++x) {
    // Bounded first so an extreme scale cannot overflow the integer conversion.
    const double source = std::clamp(source_coordinate(transform, x, in, out, scale), -1.0, static_cast<double>(in));
    plan.first.push_back(std::clamp<int64_t>(round_coordinate(rounding, source), 0, in - 1));
  }
  return plan;
}

ResizeAxisPlan plan_linear_axis(CoordinateTransform transform, int64_t in, int64_t out, float scale) {
  ResizeAxisPlan plan;
  for (int64_t x = 0; x < out; ++x) {
    const double source = std::clamp(source_coordinate(transform, x, in, out, scale), 0.0, static_cast<double>(in - 1));
    const int64_t low = static_cast<int64_t>(std::floor(source));
    plan.first.push_back(low);
    plan.second.push_back(std::min(low + 1, in - 1));
    plan.weight.push_back(static_cast<float>(source - static_cast<double>(low)));
  }
  return plan;
}

}  // namespace bespoke::torchbridge
