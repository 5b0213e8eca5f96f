// MAX_POOL_2D -> xnn_create_max_pooling2d_nhwc_f32.
//
// XNNPACK does not read padding as -inf: it redirects padded taps to a
// border pixel of the input. That equals -inf padding when every window still
// contains that border pixel: true for undilated windows wider than the
// padding on each side, false with dilation (the redirected tap can land
// between two dilated taps). Measured on the 2022-02 library with random
// shapes: any dilation combined with any padding gives wrong maxima, so that
// combination is left to another backend.

#include "backends/xnnpack/pool2d_geometry.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool max_pool2d_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_Pool2DOptions();
  if (o == nullptr) return false;
  const PoolGeometry g = pool_geometry(*o);
  if (!pool_shapes_supported(ctx, g)) return false;
  if (!g.any_padding()) return true;
  return !g.any_dilation() && g.windows_overlap_input();
}

Status create_max_pool2d_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const PoolGeometry g = pool_geometry(*ctx.info.op->options_as_Pool2DOptions());
  const TensorInfo& x = ctx.input(0);
  const size_t batch = static_cast<size_t>(x.dim(0)), channels = static_cast<size_t>(x.dim(1)),
               height = static_cast<size_t>(x.dim(2)), width = static_cast<size_t>(x.dim(3));

  auto result = make_kernel(ctx, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_max_pooling2d_nhwc_f32",
                   xnn_setup_max_pooling2d_nhwc_f32(k.op(0), batch, height, width, as_floats(in[0]),
                                                    as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_max_pooling2d_nhwc_f32", [&](xnn_operator_t* op) {
    return xnn_create_max_pooling2d_nhwc_f32(
        static_cast<uint32_t>(g.pad_top), static_cast<uint32_t>(g.pad_right), static_cast<uint32_t>(g.pad_bottom),
        static_cast<uint32_t>(g.pad_left), static_cast<uint32_t>(g.kernel_h), static_cast<uint32_t>(g.kernel_w),
        static_cast<uint32_t>(g.stride_h), static_cast<uint32_t>(g.stride_w), static_cast<uint32_t>(g.dilation_h),
        static_cast<uint32_t>(g.dilation_w), channels, channels, channels, -kInfinity, kInfinity, 0, op);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
