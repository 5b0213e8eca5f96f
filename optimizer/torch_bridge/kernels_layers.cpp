// The kernels with trainable weights: Conv, ConvTranspose, FullyConnected
// (each with its optional fused activation) and BatchNormalization.
//
// The IR allows asymmetric pads (top, left, bottom, right) and any
// output_padding; PyTorch's convolutions take one pad per dim and an
// output_padding below the stride or dilation. Those cases are computed
// explicitly (zero-pad the input, or crop the full transposed output) so the
// result is the ONNX one and gradients still flow.
#include <ATen/ops/batch_norm.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/conv2d.h>
#include <ATen/ops/conv_transpose2d.h>
#include <ATen/ops/linear.h>

#include <algorithm>

#include "torch_bridge/node_kernel.h"

namespace bespoke::torchbridge {

namespace {

// The 2-D window attributes shared by Conv and ConvTranspose.
struct ConvAttrs {
  std::vector<int64_t> strides, dilations, pads;  // pads: top, left, bottom, right
  int64_t group = 1;

  explicit ConvAttrs(const ir::Node& n)
      : strides(n.get_ints("strides", {1, 1})),
        dilations(n.get_ints("dilations", {1, 1})),
        pads(n.get_ints("pads", {0, 0, 0, 0})),
        group(n.get_int("group", 1)) {}

  bool symmetric() const { return pads[0] == pads[2] && pads[1] == pads[3]; }
};

}  // namespace

NodeKernel make_conv(const KernelSpec& spec) {
  const ConvAttrs a(spec.node);
  const FusedActivation activation(spec.node);
  return [a, activation](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    at::Tensor x = in[0];
    std::vector<int64_t> padding = {a.pads[0], a.pads[1]};
    if (!a.symmetric()) {
      x = at::constant_pad_nd(x, {a.pads[1], a.pads[3], a.pads[0], a.pads[2]}, 0.0);
      padding = {0, 0};
    }
    return {activation(at::conv2d(x, in[1], optional_input(in, 2), a.strides, padding, a.dilations, a.group))};
  };
}

NodeKernel make_conv_transpose(const KernelSpec& spec) {
  const ConvAttrs a(spec.node);
  const std::vector<int64_t> output_padding = spec.node.get_ints("output_padding", {0, 0});
  const FusedActivation activation(spec.node);
  // PyTorch's own padding handling needs equal pads per dim and output_padding < max(stride, dilation).
  const bool native = a.symmetric() && output_padding[0] < std::max(a.strides[0], a.dilations[0]) &&
                      output_padding[1] < std::max(a.strides[1], a.dilations[1]);
  return [a, output_padding, activation, native](const KernelInputs& in,
                                                 const KernelContext&) -> std::vector<at::Tensor> {
    if (native) {
      return {activation(at::conv_transpose2d(in[0], in[1], optional_input(in, 2), a.strides, {a.pads[0], a.pads[1]},
                                              output_padding, a.group, a.dilations))};
    }
    // Full output (no padding), output_padding rows/columns appended at the end
    // (where ONNX puts them: no tap reaches them), then the pads cropped.
    at::Tensor y = at::conv_transpose2d(in[0], in[1], c10::nullopt, a.strides, {0, 0}, {0, 0}, a.group, a.dilations);
    y = at::constant_pad_nd(y, {0, output_padding[1], 0, output_padding[0]}, 0.0);
    const int64_t out_h = y.size(2) - a.pads[0] - a.pads[2];
    const int64_t out_w = y.size(3) - a.pads[1] - a.pads[3];
    y = y.narrow(2, a.pads[0], out_h).narrow(3, a.pads[1], out_w);
    if (const auto bias = optional_input(in, 2)) y = y.add(bias->reshape({1, -1, 1, 1}));
    return {activation(y)};
  };
}

NodeKernel make_fully_connected(const KernelSpec& spec) {
  const FusedActivation activation(spec.node);
  return [activation](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {activation(at::linear(in[0], in[1], optional_input(in, 2)))};
  };
}

NodeKernel make_batch_norm(const KernelSpec& spec) {
  const double epsilon = spec.node.get_float("epsilon", 1e-5);
  // in[3] / in[4] are the module's running-statistic tensors themselves:
  // training mode updates them in place.
  return [epsilon](const KernelInputs& in, const KernelContext& ctx) -> std::vector<at::Tensor> {
    return {at::batch_norm(in[0], in[1], in[2], in[3], in[4], ctx.training, ctx.batch_norm_momentum, epsilon,
                           /*cudnn_enabled=*/false)};
  };
}

}  // namespace bespoke::torchbridge
