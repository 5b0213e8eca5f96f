// CONV_2D -> xnn_create_convolution2d_nhwc_f32 (grouped, depthwise, dilated,
// asymmetric padding; fused RELU/CLIP through the output range).
#include <cstdint>

#include "backends/xnnpack/conv_operands.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

struct ConvGeometry {
  size_t groups, group_input_channels, group_output_channels;
  bool depthwise;  // one input channel per group: XNNPACK's depthwise layout and kernels
};

ConvGeometry geometry(const OperatorRef& op, const fb::Conv2DOptions& o) {
  const size_t groups = static_cast<size_t>(o.groups());
  const size_t in_channels = static_cast<size_t>(op.input(0).dim(1));
  const size_t out_channels = static_cast<size_t>(op.input(1).dim(0));
  const size_t group_in = in_channels / groups;
  return {groups, group_in, out_channels / groups, group_in == 1 && groups > 1};
}

// Packs OIHW weights into the layout XNNPACK expects: [O][kH][kW][I/groups]
// in general (each output channel's [I/groups][kH*kW] transposed),
// [kH][kW][O] with XNN_FLAG_DEPTHWISE_CONVOLUTION (I/groups == 1, so the
// whole [O][kH*kW] transposed).
FloatBuffer pack_weights(const TensorInfo& weights, bool depthwise) {
  const size_t out_channels = static_cast<size_t>(weights.dim(0));
  const size_t in_channels = static_cast<size_t>(weights.dim(1));
  const size_t spatial = static_cast<size_t>(weights.dim(2) * weights.dim(3));
  return depthwise ? pack_transposed_weights(weights, 1, out_channels, spatial)
                   : pack_transposed_weights(weights, out_channels, in_channels, spatial);
}

}  // namespace

bool supports_conv2d(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_Conv2DOptions();
  if (o == nullptr || !conv_operands_supported(op)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const TensorInfo& y = op.output(0);
  if (o->groups() < 1 || x.dim(1) % o->groups() != 0 || w.dim(0) % o->groups() != 0) return false;
  if (w.dim(1) * o->groups() != x.dim(1) || w.dim(2) != o->kernel_h() || w.dim(3) != o->kernel_w()) return false;
  const int64_t oh =
      window_output_size(x.dim(2), o->pad_top(), o->pad_bottom(), o->kernel_h(), o->stride_h(), o->dilation_h());
  const int64_t ow =
      window_output_size(x.dim(3), o->pad_left(), o->pad_right(), o->kernel_w(), o->stride_w(), o->dilation_w());
  if (y.dim(0) != x.dim(0) || y.dim(1) != w.dim(0) || y.dim(2) != oh || y.dim(3) != ow) return false;
  return output_range(o->activation()).valid;
}

Status create_conv2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_Conv2DOptions();
  const ConvGeometry g = geometry(op, o);
  const ConvWindow window = conv_window(o);
  const OutputRange range = output_range(o.activation());
  const FloatBuffer weights = pack_weights(op.input(1), g.depthwise);
  const float* bias = conv_bias(op);
  const ConvInputExtent extent = conv_input_extent(op.input(0));

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_convolution2d_nhwc_f32",
                   xnn_setup_convolution2d_nhwc_f32(k.op(0), extent.batch, extent.height, extent.width,
                                                    as_floats(in[0]), as_floats(out[0]), k.threadpool()));
  });
  // XNNPACK copies the weights and bias into its own packed buffer here.
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_convolution2d_nhwc_f32", [&](xnn_operator_t* created) {
    return xnn_create_convolution2d_nhwc_f32(
        window.pad_top, window.pad_right, window.pad_bottom, window.pad_left, window.kernel_h, window.kernel_w,
        window.stride_h, window.stride_w, window.dilation_h, window.dilation_w, static_cast<uint32_t>(g.groups),
        g.group_input_channels, g.group_output_channels, g.groups * g.group_input_channels,
        g.groups * g.group_output_channels, weights.data(), bias, range.min, range.max,
        g.depthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
