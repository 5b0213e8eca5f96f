#include "backends/xnnpack/resize_nearest.h"

#include <vector>

namespace bespoke::rt::xnnpack {
namespace {

// Whole factor k by which nearest resizing repeats each input index along
// one axis (output x reads input x / k), or 0 if it does not.
//  - k = out / in must be a whole number and a given scale must equal it;
//  - half_pixel: (x + 0.5) / k - 0.5 lies within 0.5 - 0.5/k of x / k
//    (integer division), so rounding to the nearest gives x / k for both tie
//    rules; floor / ceil do not;
//  - asymmetric: x / k floors to x / k; round_prefer_floor also does when
//    k <= 2 (the largest fraction, (k-1)/k, is then at most 0.5);
//  - align_corners interpolates the corners, not a repetition (unless k = 1).
int64_t repeat_factor(const fb::ResizeOptions& o, int64_t in, int64_t out, float scale) {
  if (out % in != 0) return 0;
  const int64_t k = out / in;
  if (scale != 0.0f && static_cast<double>(scale) != static_cast<double>(k)) return 0;
  if (k == 1) return 1;  // every transform maps x to x
  using T = fb::CoordinateTransform;
  using R = fb::NearestRounding;
  const R rounding = o.nearest_rounding();
  switch (o.coordinate_transform()) {
    case T::HALF_PIXEL:
    case T::PYTORCH_HALF_PIXEL:  // differs only for an output of 1, impossible with k >= 2
      return rounding == R::ROUND_PREFER_FLOOR || rounding == R::ROUND_PREFER_CEIL ? k : 0;
    case T::ASYMMETRIC: return rounding == R::FLOOR || (rounding == R::ROUND_PREFER_FLOOR && k == 2) ? k : 0;
    case T::ALIGN_CORNERS: return 0;
  }
  return 0;
}

struct RepeatGeometry {
  size_t batch, channels, height, width, repeat_h, repeat_w;
};

RepeatGeometry repeat_geometry(const OperatorRef& op) {
  const auto& o = *op.info().op->options_as_ResizeOptions();
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  return {static_cast<size_t>(x.dim(0)),
          static_cast<size_t>(x.dim(1)),
          static_cast<size_t>(x.dim(2)),
          static_cast<size_t>(x.dim(3)),
          static_cast<size_t>(repeat_factor(o, x.dim(2), y.dim(2), o.scale_h())),
          static_cast<size_t>(repeat_factor(o, x.dim(3), y.dim(3), o.scale_w()))};
}

// One xnn copy_nc_x32: `rows` rows of `length` values, destination rows
// `destination_stride` apart, starting `offset` values into the destination.
struct RepeatCopy {
  size_t rows, length, destination_stride, offset;
  bool from_scratch, to_scratch;
};

}  // namespace

bool nearest_repeat_supported(const OperatorRef& op) {
  const RepeatGeometry g = repeat_geometry(op);
  return g.repeat_h != 0 && g.repeat_w != 0;
}

Status create_nearest_repeat_kernel(const OperatorRef& op, const ExecutionContext& exec,
                                    std::unique_ptr<Kernel>* kernel) {
  const RepeatGeometry g = repeat_geometry(op);
  const size_t out_width = g.width * g.repeat_w;
  // NHWC: first repeat every pixel along W (into scratch when rows must
  // still be repeated), then repeat every widened row along H.
  const bool widen = g.repeat_w > 1;
  const bool heighten = g.repeat_h > 1;
  const bool use_scratch = widen && heighten;
  std::vector<RepeatCopy> copies;
  for (size_t j = 0; j < g.repeat_w && widen; ++j) {
    copies.push_back(
        {g.batch * g.height * g.width, g.channels, g.repeat_w * g.channels, j * g.channels, false, use_scratch});
  }
  for (size_t j = 0; j < g.repeat_h && heighten; ++j) {
    const size_t row = out_width * g.channels;
    copies.push_back({g.batch * g.height, row, g.repeat_h * row, j * row, use_scratch, false});
  }
  if (copies.empty()) {  // factor 1 along both axes
    copies.push_back({1, g.batch * g.height * g.width * g.channels, 0, 0, false, false});
    copies.back().destination_stride = copies.back().length;
  }
  FloatBuffer scratch(use_scratch ? g.batch * g.height * out_width * g.channels : 0);

  auto result = make_kernel(
      op, exec, [copies, scratch = std::move(scratch)](XnnKernel& k, const void* const* in, void* const* out) mutable {
        for (size_t c = 0; c < copies.size(); ++c) {
          const RepeatCopy& copy = copies[c];
          const float* source = copy.from_scratch ? scratch.data() : as_floats(in[0]);
          float* destination = (copy.to_scratch ? scratch.data() : as_floats(out[0])) + copy.offset;
          BSP_RETURN_IF_ERROR(k.check("xnn_setup_copy_nc_x32",
                                      xnn_setup_copy_nc_x32(k.op(c), copy.rows, source, destination, k.threadpool())));
        }
        return Status::Ok();
      });
  for (const RepeatCopy& copy : copies) {
    BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_copy_nc_x32", [&](xnn_operator_t* created) {
      return xnn_create_copy_nc_x32(copy.length, copy.length, copy.destination_stride, 0, created);
    }));
  }
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
