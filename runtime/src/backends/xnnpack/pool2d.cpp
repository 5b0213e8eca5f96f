// MAX_POOL_2D and AVERAGE_POOL_2D (window checks: pool2d_geometry.h).
//
// MAX_POOL_2D -> xnn_create_max_pooling2d_nhwc_f32.
//
// XNNPACK does not read padding as -inf: it redirects padded taps to a
// border pixel of the input. That equals -inf padding when every window still
// contains that border pixel: true for undilated windows wider than the
// padding on each side, false with dilation (the redirected tap can land
// between two dilated taps). Measured on the 2022-02 library with random
// shapes: any dilation combined with any padding gives wrong maxima, so that
// combination is left to another backend.
//
// AVERAGE_POOL_2D -> xnn_create_average_pooling2d_nhwc_f32.
//
// XNNPACK divides by the number of input cells inside each window, i.e.
// count_include_pad = false. For count_include_pad = true with padding, the
// kernel first writes a zero-padded copy of the input into its own scratch
// (xnn_create_constant_pad_nd_x32) and pools that without padding, so every
// window divides by its full size. XNNPACK has no dilated average pooling.
#include <array>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/pool2d_geometry.h"

namespace bespoke::rt::xnnpack {
namespace {

bool supports_max_pool2d(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_Pool2DOptions();
  if (o == nullptr) return false;
  const PoolGeometry g = pool_geometry(*o);
  if (!pool_shapes_supported(op, g)) return false;
  if (!g.any_padding()) return true;
  return !g.any_dilation() && g.windows_overlap_input();
}

Status create_max_pool2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const PoolGeometry g = pool_geometry(*op.info().op->options_as_Pool2DOptions());
  const TensorInfo& x = op.input(0);
  const size_t batch = static_cast<size_t>(x.dim(0)), channels = static_cast<size_t>(x.dim(1)),
               height = static_cast<size_t>(x.dim(2)), width = static_cast<size_t>(x.dim(3));

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_max_pooling2d_nhwc_f32",
                   xnn_setup_max_pooling2d_nhwc_f32(k.op(0), batch, height, width, as_floats(in[0]), as_floats(out[0]),
                                                    k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_max_pooling2d_nhwc_f32", [&](xnn_operator_t* created) {
    return xnn_create_max_pooling2d_nhwc_f32(
        static_cast<uint32_t>(g.pad_top), static_cast<uint32_t>(g.pad_right), static_cast<uint32_t>(g.pad_bottom),
        static_cast<uint32_t>(g.pad_left), static_cast<uint32_t>(g.kernel_h), static_cast<uint32_t>(g.kernel_w),
        static_cast<uint32_t>(g.stride_h), static_cast<uint32_t>(g.stride_w), static_cast<uint32_t>(g.dilation_h),
        static_cast<uint32_t>(g.dilation_w), channels, channels, channels, -kInfinity, kInfinity, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

bool supports_average_pool2d(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_Pool2DOptions();
  if (o == nullptr) return false;
  const PoolGeometry g = pool_geometry(*o);
  if (!pool_shapes_supported(op, g) || g.any_dilation()) return false;
  // Without count_include_pad, a window lying entirely in the padding would
  // average zero cells.
  return o->count_include_pad() || g.windows_overlap_input();
}

Status create_average_pool2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_Pool2DOptions();
  const PoolGeometry g = pool_geometry(o);
  const TensorInfo& x = op.input(0);
  const size_t batch = static_cast<size_t>(x.dim(0)), channels = static_cast<size_t>(x.dim(1)),
               height = static_cast<size_t>(x.dim(2)), width = static_cast<size_t>(x.dim(3));
  const bool explicit_padding = o.count_include_pad() && g.any_padding();
  // Padding XNNPACK applies itself (none when the kernel pads explicitly).
  const std::array<uint32_t, 4> pool_pad =
      explicit_padding
          ? std::array<uint32_t, 4>{0, 0, 0, 0}
          : std::array<uint32_t, 4>{static_cast<uint32_t>(g.pad_top), static_cast<uint32_t>(g.pad_right),
                                    static_cast<uint32_t>(g.pad_bottom), static_cast<uint32_t>(g.pad_left)};
  const std::array<size_t, 4> input_shape{batch, height, width, channels};
  const std::array<size_t, 4> pre{0, static_cast<size_t>(g.pad_top), static_cast<size_t>(g.pad_left), 0};
  const std::array<size_t, 4> post{0, static_cast<size_t>(g.pad_bottom), static_cast<size_t>(g.pad_right), 0};
  const size_t padded_height = height + pre[1] + post[1], padded_width = width + pre[2] + post[2];
  FloatBuffer scratch(explicit_padding ? batch * padded_height * padded_width * channels : 0);

  auto result = make_kernel(
      op, exec, [=, scratch = std::move(scratch)](XnnKernel& k, const void* const* in, void* const* out) mutable {
        const float* pool_input = as_floats(in[0]);
        if (explicit_padding) {
          BSP_RETURN_IF_ERROR(
              k.check("xnn_setup_constant_pad_nd_x32",
                      xnn_setup_constant_pad_nd_x32(k.op(0), 4, input_shape.data(), pre.data(), post.data(), in[0],
                                                    scratch.data(), k.threadpool())));
          pool_input = scratch.data();
        }
        return k.check("xnn_setup_average_pooling2d_nhwc_f32",
                       xnn_setup_average_pooling2d_nhwc_f32(
                           k.op(explicit_padding ? 1 : 0), batch, explicit_padding ? padded_height : height,
                           explicit_padding ? padded_width : width, pool_input, as_floats(out[0]), k.threadpool()));
      });
  if (explicit_padding) {
    static constexpr float kZero = 0.0f;
    BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_constant_pad_nd_x32", [&](xnn_operator_t* created) {
      return xnn_create_constant_pad_nd_x32(&kZero, 0, created);
    }));
  }
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_average_pooling2d_nhwc_f32", [&](xnn_operator_t* created) {
    return xnn_create_average_pooling2d_nhwc_f32(pool_pad[0], pool_pad[1], pool_pad[2], pool_pad[3],
                                                 static_cast<uint32_t>(g.kernel_h), static_cast<uint32_t>(g.kernel_w),
                                                 static_cast<uint32_t>(g.stride_h), static_cast<uint32_t>(g.stride_w),
                                                 channels, channels, channels, -kInfinity, kInfinity, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace

bool supports_pool2d(const OperatorRef& op) {
  return op.opcode() == fb::OpCode::MAX_POOL_2D ? supports_max_pool2d(op) : supports_average_pool2d(op);
}

Status create_pool2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return op.opcode() == fb::OpCode::MAX_POOL_2D ? create_max_pool2d(op, exec, kernel)
                                                : create_average_pool2d(op, exec, kernel);
}

}  // namespace bespoke::rt::xnnpack
