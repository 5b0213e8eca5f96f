// Spatial kernels of NCHW tensors: MaxPool, AveragePool, GlobalAveragePool
// and Resize, with ONNX semantics (the runtime's reference backend):
//  * pads are explicit and may be asymmetric; padded cells are -inf for max
//    pooling and, for average pooling, count in the divisor only with
//    count_include_pad. PyTorch's own padding (one pad per dim, at most half
//    the kernel) is used when it gives exactly that; otherwise the input is
//    padded explicitly and the divisor computed from a mask.
//  * AveragePool with dilations (PyTorch's avg_pool2d has none) averages
//    im2col columns.
//  * Resize gathers the source rows / columns that resize_plan.h computes
//    and blends them with the same float weights.
#include <ATen/ops/avg_pool2d.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/im2col.h>
#include <ATen/ops/max_pool2d.h>
#include <ATen/ops/ones.h>

#include <limits>

#include "torch_bridge/node_kernel.h"
#include "torch_bridge/resize_plan.h"
#include "torch_bridge/tensor_conversion.h"

namespace bespoke::torchbridge {

namespace {

struct PoolAttrs {
  std::vector<int64_t> kernel, strides, dilations, pads;  // pads: top, left, bottom, right

  explicit PoolAttrs(const ir::Node& n)
      : kernel(n.get_ints("kernel_shape")),
        strides(n.get_ints("strides", {1, 1})),
        dilations(n.get_ints("dilations", {1, 1})),
        pads(n.get_ints("pads", {0, 0, 0, 0})) {}

  bool padded() const { return pads[0] != 0 || pads[1] != 0 || pads[2] != 0 || pads[3] != 0; }
  bool dilated() const { return dilations[0] != 1 || dilations[1] != 1; }
  // PyTorch pads both sides of a dim equally, by at most half the kernel.
  bool torch_padding() const {
    return pads[0] == pads[2] && pads[1] == pads[3] && pads[0] <= kernel[0] / 2 && pads[1] <= kernel[1] / 2;
  }
  at::Tensor pad(const at::Tensor& x, double value) const {
    return padded() ? at::constant_pad_nd(x, {pads[1], pads[3], pads[0], pads[2]}, value) : x;
  }
};

// Mean of every (dilated) window of an already padded NCHW tensor, divisor = kernel area.
at::Tensor window_mean(const at::Tensor& padded, const PoolAttrs& a) {
  if (!a.dilated()) return at::avg_pool2d(padded, a.kernel, a.strides, {0, 0}, false, true);
  auto out_size = [&](int64_t dim, int k) {
    return (padded.size(dim) - a.dilations[k] * (a.kernel[k] - 1) - 1) / a.strides[k] + 1;
  };
  const int64_t n = padded.size(0), c = padded.size(1), oh = out_size(2, 0), ow = out_size(3, 1);
  const at::Tensor columns = at::im2col(padded, a.kernel, a.dilations, {0, 0}, a.strides);  // [N, C*kh*kw, L]
  return columns.reshape({n, c, a.kernel[0] * a.kernel[1], oh * ow}).mean(2).reshape({n, c, oh, ow});
}

}  // namespace

NodeKernel make_max_pool(const KernelSpec& spec) {
  const PoolAttrs a(spec.node);
  return [a](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    if (a.torch_padding())
      return {at::max_pool2d(in[0], a.kernel, a.strides, {a.pads[0], a.pads[1]}, a.dilations, false)};
    const at::Tensor x = a.pad(in[0], -std::numeric_limits<double>::infinity());
    return {at::max_pool2d(x, a.kernel, a.strides, {0, 0}, a.dilations, false)};
  };
}

NodeKernel make_average_pool(const KernelSpec& spec) {
  const PoolAttrs a(spec.node);
  const bool count_include_pad = spec.node.get_int("count_include_pad", 0) != 0;
  return [a, count_include_pad](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    const at::Tensor& x = in[0];
    if (!a.dilated() && a.torch_padding())
      return {at::avg_pool2d(x, a.kernel, a.strides, {a.pads[0], a.pads[1]}, false, count_include_pad)};
    at::Tensor mean = window_mean(a.pad(x, 0.0), a);
    if (count_include_pad || !a.padded()) return {mean};
    // Divisor = input cells under the window: rescale by the fraction of the
    // window inside the input (a window entirely in the padding yields 0).
    const at::Tensor inside = window_mean(a.pad(at::ones({1, 1, x.size(2), x.size(3)}, x.options()), 0.0), a);
    return {mean.div(inside.clamp_min(std::numeric_limits<float>::min()))};
  };
}

NodeKernel make_global_average_pool(const KernelSpec& spec) {
  std::vector<int64_t> spatial;
  for (int64_t d = 2; d < static_cast<int64_t>(spec.input_shape(0).size()); ++d) spatial.push_back(d);
  return [spatial](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {in[0].mean(spatial, /*keepdim=*/true)};
  };
}

NodeKernel make_resize(const KernelSpec& spec) {
  const ir::Node& n = spec.node;
  const ir::Shape& in_shape = spec.input_shape(0);
  const ir::Shape& out_shape = spec.output_shape(0);
  if (in_shape.size() != 4 || out_shape.size() != 4) spec.fail("input and output must be rank 4 (NCHW)");
  const std::string transform_name = n.get_string("coordinate_transformation_mode", "half_pixel");
  const auto transform = parse_coordinate_transform(transform_name);
  if (!transform) spec.fail("unsupported coordinate_transformation_mode '" + transform_name + "'");
  const std::vector<double> scales = n.get_floats("scales", {0.0, 0.0});
  if (scales.size() != 2) spec.fail("scales must have 2 values (h, w)");
  // The .bspk stores the scales as float32: plan with exactly that value.
  const float scale_h = static_cast<float>(scales[0]), scale_w = static_cast<float>(scales[1]);

  const std::string mode = n.get_string("mode", "nearest");
  if (mode == "nearest") {
    const std::string rounding_name = n.get_string("nearest_mode", "round_prefer_floor");
    const auto rounding = parse_nearest_rounding(rounding_name);
    if (!rounding) spec.fail("unsupported nearest_mode '" + rounding_name + "'");
    auto sources = [&](size_t dim, float scale) {
      return vector_tensor(plan_nearest_axis(*transform, *rounding, in_shape[dim], out_shape[dim], scale).first);
    };
    const at::Tensor rows = sources(2, scale_h), cols = sources(3, scale_w);
    return [rows, cols](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
      return {in[0].index_select(2, rows).index_select(3, cols)};
    };
  }
  if (mode != "linear") spec.fail("unsupported mode '" + mode + "'");
  // Per axis: lower / upper source indices and the weights (1 - w, w), shaped to broadcast along it.
  struct Axis {
    at::Tensor low, high, keep, take;
  };
  auto axis = [&](int64_t in_size, int64_t out_size, float scale, int dim) {
    const ResizeAxisPlan p = plan_linear_axis(*transform, in_size, out_size, scale);
    std::vector<float> keep(p.weight.size());
    for (size_t i = 0; i < keep.size(); ++i) keep[i] = 1.0f - p.weight[i];
    std::vector<int64_t> shape = {1, 1, 1, 1};
    shape[static_cast<size_t>(dim)] = out_size;
    return Axis{vector_tensor(p.first), vector_tensor(p.second), vector_tensor(keep).reshape(shape),
                vector_tensor(p.weight).reshape(shape)};
  };
  const Axis rows = axis(in_shape[2], out_shape[2], scale_h, 2), cols = axis(in_shape[3], out_shape[3], scale_w, 3);
  return [rows, cols](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    // Columns first then rows: each output is (1-wy)*((1-wx)*a + wx*b) + wy*((1-wx)*c + wx*d),
    // the reference backend's order of float operations.
    const at::Tensor& x = in[0];
    const at::Tensor h = x.index_select(3, cols.low).mul(cols.keep).add(x.index_select(3, cols.high).mul(cols.take));
    return {h.index_select(2, rows.low).mul(rows.keep).add(h.index_select(2, rows.high).mul(rows.take))};
  };
}

}  // namespace bespoke::torchbridge
