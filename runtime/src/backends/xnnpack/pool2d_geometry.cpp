#include "backends/xnnpack/pool2d_geometry.h"

namespace bespoke::rt::xnnpack {

PoolGeometry pool_geometry(const fb::Pool2DOptions& o) {
  return {o.kernel_h(),
          o.kernel_w(),
          o.stride_h(),
          o.stride_w(),
          o.kernel_h() > 1 ? o.dilation_h() : 1,
          o.kernel_w() > 1 ? o.dilation_w() : 1,
          o.pad_top(),
          o.pad_left(),
          o.pad_bottom(),
          o.pad_right()};
}

bool pool_shapes_supported(const OperatorRef& op, const PoolGeometry& g) {
  if (!op.all_float32() || op.info().inputs.empty()) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || g.kernel_h * g.kernel_w <= 1) return false;
  const int64_t oh = window_output_size(x.dim(2), g.pad_top, g.pad_bottom, g.kernel_h, g.stride_h, g.dilation_h);
  const int64_t ow = window_output_size(x.dim(3), g.pad_left, g.pad_right, g.kernel_w, g.stride_w, g.dilation_w);
  return y.dim(0) == x.dim(0) && y.dim(1) == x.dim(1) && y.dim(2) == oh && y.dim(3) == ow;
}

}  // namespace bespoke::rt::xnnpack
