// Data movement and reduction kernels: Concat, Reshape, Transpose, Pad,
// Slice, Split, ChannelShuffle, ReduceMean, and MatMul (the product of two
// run-time tensors, batch dims broadcast as at::matmul does). Views where PyTorch gives them
// (permute, slice, split); later kernels accept non-contiguous inputs.
#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/matmul.h>

#include "torch_bridge/node_kernel.h"

namespace bespoke::torchbridge {

NodeKernel make_concat(const KernelSpec& spec) {
  const int64_t axis = spec.node.get_int("axis", 0);
  return
      [axis](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> { return {at::cat(in, axis)}; };
}

NodeKernel make_reshape(const KernelSpec& spec) {
  const ir::Shape target = spec.output_shape(0);
  const ir::Shape& source = spec.input_shape(0);
  // Training batches differ from the graph's: the reshape grows by the factor
  // the input grew by, on its first axis when that keeps the graph's batch
  // (or is 1), else on its first axis of size 1 (where a Transpose moved the
  // batch, as in attention blocks).
  int64_t graph_elements = 1;
  for (int64_t d : source) graph_elements *= d;
  int batch_axis = -1;
  if (!target.empty() && !source.empty() && (target[0] == source[0] || target[0] == 1)) batch_axis = 0;
  for (size_t d = 0; batch_axis < 0 && d < target.size(); ++d)
    if (target[d] == 1) batch_axis = static_cast<int>(d);
  return [target, graph_elements, batch_axis](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    std::vector<int64_t> shape = target;
    const int64_t elements = in[0].numel();
    if (batch_axis >= 0 && graph_elements > 0 && elements != graph_elements && elements % graph_elements == 0)
      shape[static_cast<size_t>(batch_axis)] *= elements / graph_elements;
    return {in[0].reshape(shape)};
  };
}

NodeKernel make_transpose(const KernelSpec& spec) {
  const std::vector<int64_t> perm = spec.node.get_ints("perm");
  return
      [perm](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> { return {in[0].permute(perm)}; };
}

NodeKernel make_pad(const KernelSpec& spec) {
  const std::vector<int64_t> pads = spec.node.get_ints("pads");
  const double value = spec.node.get_float("value", 0.0);
  const size_t rank = pads.size() / 2;
  // ONNX lists all begins then all ends; PyTorch (begin, end) pairs from the last dim backwards.
  std::vector<int64_t> torch_pads;
  for (size_t d = rank; d-- > 0;) {
    torch_pads.push_back(pads[d]);
    torch_pads.push_back(pads[rank + d]);
  }
  return [torch_pads, value](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {at::constant_pad_nd(in[0], torch_pads, value)};
  };
}

NodeKernel make_slice(const KernelSpec& spec) {
  const std::vector<int64_t> starts = spec.node.get_ints("starts");
  const std::vector<int64_t> ends = spec.node.get_ints("ends");
  const std::vector<int64_t> steps = spec.node.get_ints("steps");
  const ir::Shape& shape = spec.input_shape(0);
  if (starts.size() != shape.size() || ends.size() != shape.size() || steps.size() != shape.size())
    spec.fail("starts, ends and steps must have one value per input dim");
  // Dims taken whole are skipped, so a whole batch dim follows the actual batch size.
  struct DimSlice {
    int64_t dim, start, end, step;
  };
  std::vector<DimSlice> slices;
  for (size_t d = 0; d < shape.size(); ++d)
    if (starts[d] != 0 || ends[d] < shape[d] || steps[d] != 1)
      slices.push_back({static_cast<int64_t>(d), starts[d], ends[d], steps[d]});
  return [slices](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    at::Tensor x = in[0];
    for (const DimSlice& s : slices) x = x.slice(s.dim, s.start, s.end, s.step);
    return {x};
  };
}

NodeKernel make_split(const KernelSpec& spec) {
  const int64_t axis = spec.node.get_int("axis", 0);
  const std::vector<int64_t> sizes = spec.node.get_ints("split");
  return [axis, sizes](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return in[0].split_with_sizes(sizes, axis);
  };
}

NodeKernel make_channel_shuffle(const KernelSpec& spec) {
  const int64_t group = spec.node.get_int("group", 1);
  if (spec.input_shape(0).size() < 2) spec.fail("input must have a channel dim");
  // [N, C, rest...] -> [N, group, C/group, rest...] -> swap the two group dims -> [N, C, rest...].
  return [group](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    const at::Tensor& x = in[0];
    std::vector<int64_t> grouped = {x.size(0), group, x.size(1) / group};
    for (int64_t d = 2; d < x.dim(); ++d) grouped.push_back(x.size(d));
    return {x.reshape(grouped).transpose(1, 2).reshape(x.sizes())};
  };
}

NodeKernel make_reduce_mean(const KernelSpec& spec) {
  const std::vector<int64_t> axes = spec.node.get_ints("axes");
  const bool keepdims = spec.node.get_int("keepdims", 1) != 0;
  return [axes, keepdims](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {in[0].mean(axes, keepdims)};
  };
}

NodeKernel make_matmul(const KernelSpec&) {
  return [](const KernelInputs& in, const KernelContext&) -> std::vector<at::Tensor> {
    return {at::matmul(in[0], in[1])};
  };
}

}  // namespace bespoke::torchbridge
