// CONV_TRANSPOSE_2D -> xnn_create_deconvolution2d_nhwc_f32. The model's
// output_padding is XNNPACK's "adjustment" (extra rows/columns at the
// bottom/right), which XNNPACK only accepts below the stride.
#include <cstdint>

#include "backends/xnnpack/conv_operands.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

int64_t transposed_output_size(int64_t input, int stride, int output_padding, int kernel, int dilation, int pad_begin,
                               int pad_end) {
  return int64_t{stride} * (input - 1) + output_padding + int64_t{dilation} * (kernel - 1) + 1 - pad_begin - pad_end;
}

// [C_in][C_out/g][kH][kW] (C_in = g * C_in/g) -> XNNPACK's [g][C_out/g][kH][kW][C_in/g]:
// each group's [C_in/g][C_out/g * kH*kW] transposed.
FloatBuffer pack_weights(const TensorInfo& weights, size_t groups) {
  const size_t group_in = static_cast<size_t>(weights.dim(0)) / groups;
  const size_t group_out = static_cast<size_t>(weights.dim(1));
  const size_t spatial = static_cast<size_t>(weights.dim(2) * weights.dim(3));
  return pack_transposed_weights(weights, groups, group_in, group_out * spatial);
}

}  // namespace

bool supports_conv_transpose2d(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_ConvTranspose2DOptions();
  if (o == nullptr || !conv_operands_supported(op)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const TensorInfo& y = op.output(0);
  if (o->groups() < 1 || o->kernel_h() < 1 || o->kernel_w() < 1 || o->stride_h() < 1 || o->stride_w() < 1 ||
      o->dilation_h() < 1 || o->dilation_w() < 1 || o->pad_top() < 0 || o->pad_bottom() < 0 || o->pad_left() < 0 ||
      o->pad_right() < 0) {
    return false;
  }
  if (w.dim(0) != x.dim(1) || x.dim(1) % o->groups() != 0 || w.dim(2) != o->kernel_h() || w.dim(3) != o->kernel_w()) {
    return false;
  }
  // XNNPACK requires 0 <= adjustment < stride.
  if (o->output_padding_h() < 0 || o->output_padding_w() < 0 || o->output_padding_h() >= o->stride_h() ||
      o->output_padding_w() >= o->stride_w()) {
    return false;
  }
  const int64_t oh = transposed_output_size(x.dim(2), o->stride_h(), o->output_padding_h(), o->kernel_h(),
                                            o->dilation_h(), o->pad_top(), o->pad_bottom());
  const int64_t ow = transposed_output_size(x.dim(3), o->stride_w(), o->output_padding_w(), o->kernel_w(),
                                            o->dilation_w(), o->pad_left(), o->pad_right());
  if (oh < 1 || ow < 1) return false;
  if (y.dim(0) != x.dim(0) || y.dim(1) != w.dim(1) * o->groups() || y.dim(2) != oh || y.dim(3) != ow) return false;
  return output_range(o->activation()).valid;
}

Status create_conv_transpose2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_ConvTranspose2DOptions();
  const TensorInfo& w = op.input(1);
  const size_t groups = static_cast<size_t>(o.groups());
  const size_t group_in = static_cast<size_t>(w.dim(0)) / groups;
  const size_t group_out = static_cast<size_t>(w.dim(1));
  const ConvWindow window = conv_window(o);
  const OutputRange range = output_range(o.activation());
  const FloatBuffer weights = pack_weights(w, groups);
  const float* bias = conv_bias(op);
  const ConvInputExtent extent = conv_input_extent(op.input(0));
  const uint32_t adjustment_h = static_cast<uint32_t>(o.output_padding_h());
  const uint32_t adjustment_w = static_cast<uint32_t>(o.output_padding_w());

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check(
        "xnn_setup_deconvolution2d_nhwc_f32",
        xnn_setup_deconvolution2d_nhwc_f32(k.op(0), extent.batch, extent.height, extent.width, adjustment_h,
                                           adjustment_w, as_floats(in[0]), as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_deconvolution2d_nhwc_f32", [&](xnn_operator_t* created) {
    return xnn_create_deconvolution2d_nhwc_f32(
        window.pad_top, window.pad_right, window.pad_bottom, window.pad_left, window.kernel_h, window.kernel_w,
        window.stride_h, window.stride_w, window.dilation_h, window.dilation_w, static_cast<uint32_t>(groups), group_in,
        group_out, groups * group_in, groups * group_out, weights.data(), bias, range.min, range.max, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
