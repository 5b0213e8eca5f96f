// RESIZE of the two spatial dims of an NCHW tensor (ONNX Resize semantics).
//
// Each output coordinate x is mapped to an input coordinate by the
// coordinate transform (scale = scale_h / scale_w when non-zero, else
// output size / input size):
//   HALF_PIXEL          (x + 0.5) / scale - 0.5
//   PYTORCH_HALF_PIXEL  same, but 0 when the output size is 1
//   ALIGN_CORNERS       x * (in - 1) / (in * scale - 1), 0 when out is 1
//   ASYMMETRIC          x / scale
// NEAREST rounds it (ROUND_PREFER_FLOOR / _CEIL: to the nearest integer, ties
// down / up; FLOOR; CEIL) and clamps to [0, in - 1]. LINEAR clamps it to
// [0, in - 1] and interpolates between floor and floor + 1 (bilinear in 2-D).
// Coordinates are computed in double; a shape-derived scale is applied as
// "* in / out" so exact ties stay exact.
//
// The per-row and per-column source indices and weights are tabulated at
// create time; run() is one table-driven pass per (n, c) plane.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

const fb::ResizeOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_ResizeOptions(); }

// Source coordinate of output index `x` along one axis.
double source_coordinate(fb::CoordinateTransform transform, int64_t x, int64_t in, int64_t out, float scale) {
  // x / scale, exactly when the scale comes from the shapes.
  auto unscale = [&](double v) { return scale > 0.0f ? v / static_cast<double>(scale) : v * in / out; };
  switch (transform) {
    case fb::CoordinateTransform::HALF_PIXEL: return unscale(x + 0.5) - 0.5;
    case fb::CoordinateTransform::PYTORCH_HALF_PIXEL: return out > 1 ? unscale(x + 0.5) - 0.5 : 0.0;
    case fb::CoordinateTransform::ALIGN_CORNERS: {
      // ONNX divides by (resized length - 1) where the resized length is
      // in * scale, which is fractional when a scale was given (0.6 * 4 = 2.4).
      const double resized =
          scale > 0.0f ? static_cast<double>(in) * static_cast<double>(scale) : static_cast<double>(out);
      return out > 1 && resized > 1.0 ? static_cast<double>(x) * static_cast<double>(in - 1) / (resized - 1.0) : 0.0;
    }
    case fb::CoordinateTransform::ASYMMETRIC: return unscale(static_cast<double>(x));
  }
  return 0.0;
}

int64_t round_nearest(fb::NearestRounding rounding, double coordinate) {
  const double floor = std::floor(coordinate);
  const double fraction = coordinate - floor;
  switch (rounding) {
    case fb::NearestRounding::ROUND_PREFER_FLOOR: return static_cast<int64_t>(fraction > 0.5 ? floor + 1 : floor);
    case fb::NearestRounding::ROUND_PREFER_CEIL: return static_cast<int64_t>(fraction >= 0.5 ? floor + 1 : floor);
    case fb::NearestRounding::FLOOR: return static_cast<int64_t>(floor);
    case fb::NearestRounding::CEIL: return static_cast<int64_t>(std::ceil(coordinate));
  }
  return static_cast<int64_t>(floor);
}

// Where each output index along one axis reads from: one index (nearest) or
// two indices and the weight of the second (linear).
struct AxisTable {
  std::vector<int64_t> first, second;
  std::vector<float> weight;

  AxisTable(const fb::ResizeOptions& o, int64_t in, int64_t out, float scale) {
    for (int64_t x = 0; x < out; ++x) {
      const double source = source_coordinate(o.coordinate_transform(), x, in, out, scale);
      if (o.mode() == fb::ResizeMode::NEAREST) {
        // Pre-clamped so an extreme scale cannot overflow the integer conversion.
        const double bounded = std::clamp(source, -1.0, static_cast<double>(in));
        first.push_back(std::clamp<int64_t>(round_nearest(o.nearest_rounding(), bounded), 0, in - 1));
        continue;
      }
      const double clamped = std::clamp(source, 0.0, static_cast<double>(in - 1));
      const int64_t low = static_cast<int64_t>(std::floor(clamped));
      first.push_back(low);
      second.push_back(std::min(low + 1, in - 1));
      weight.push_back(static_cast<float>(clamped - static_cast<double>(low)));
    }
  }
};

class ResizeKernel final : public ReferenceKernel {
 public:
  explicit ResizeKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        nearest_(options_of(op).mode() == fb::ResizeMode::NEAREST),
        in_h_(op.input(0).dim(2)),
        in_w_(op.input(0).dim(3)),
        out_h_(op.output(0).dim(2)),
        out_w_(op.output(0).dim(3)),
        planes_(op.input(0).dim(0) * op.input(0).dim(1)),
        rows_(options_of(op), in_h_, out_h_, options_of(op).scale_h()),
        cols_(options_of(op), in_w_, out_w_, options_of(op).scale_w()) {}

  Status run() override {
    parallel_for(threadpool(), static_cast<size_t>(planes_), [this](size_t plane) {
      const float* in = input(0) + static_cast<int64_t>(plane) * in_h_ * in_w_;
      float* out = output(0) + static_cast<int64_t>(plane) * out_h_ * out_w_;
      if (nearest_) {
        nearest_plane(in, out);
      } else {
        linear_plane(in, out);
      }
    });
    return Status::Ok();
  }

 private:
  void nearest_plane(const float* in, float* out) const {
    for (int64_t oh = 0; oh < out_h_; ++oh) {
      const float* in_row = in + rows_.first[static_cast<size_t>(oh)] * in_w_;
      float* out_row = out + oh * out_w_;
      for (int64_t ow = 0; ow < out_w_; ++ow) out_row[ow] = in_row[cols_.first[static_cast<size_t>(ow)]];
    }
  }

  void linear_plane(const float* in, float* out) const {
    for (int64_t oh = 0; oh < out_h_; ++oh) {
      const size_t r = static_cast<size_t>(oh);
      const float* top = in + rows_.first[r] * in_w_;
      const float* bottom = in + rows_.second[r] * in_w_;
      const float wy = rows_.weight[r];
      float* out_row = out + oh * out_w_;
      for (int64_t ow = 0; ow < out_w_; ++ow) {
        const size_t c = static_cast<size_t>(ow);
        const int64_t left = cols_.first[c], right = cols_.second[c];
        const float wx = cols_.weight[c];
        const float upper = (1.0f - wx) * top[left] + wx * top[right];
        const float lower = (1.0f - wx) * bottom[left] + wx * bottom[right];
        out_row[ow] = (1.0f - wy) * upper + wy * lower;
      }
    }
  }

  bool nearest_;
  int64_t in_h_, in_w_, out_h_, out_w_, planes_;
  AxisTable rows_, cols_;
};

template <typename Enum>
bool in_enum(Enum value, Enum max) {
  return static_cast<int>(value) >= 0 && static_cast<int>(value) <= static_cast<int>(max);
}

}  // namespace

Status supports_resize(const OperatorRef& op) {
  const fb::ResizeOptions& o = options_of(op);
  if (!in_enum(o.mode(), fb::ResizeMode::MAX)) return op_error(op, "unknown resize mode");
  if (!in_enum(o.coordinate_transform(), fb::CoordinateTransform::MAX))
    return op_error(op, "unknown coordinate transform");
  if (!in_enum(o.nearest_rounding(), fb::NearestRounding::MAX)) return op_error(op, "unknown nearest rounding");
  if (!(o.scale_h() >= 0.0f && o.scale_w() >= 0.0f && std::isfinite(o.scale_h()) && std::isfinite(o.scale_w())))
    return op_error(op, "scales must be finite and >= 0 (0 = derive from the shapes)");
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  BSP_RETURN_IF_ERROR(expect_rank(op, x, 4, "input"));
  BSP_RETURN_IF_ERROR(expect_rank(op, y, 4, "output"));
  if (y.dim(0) != x.dim(0) || y.dim(1) != x.dim(1))
    return op_error(op, "output " + shape_string(y) + " changes N or C of input " + shape_string(x));
  return Status::Ok();
}

Status create_resize(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ResizeKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
