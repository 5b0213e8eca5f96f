// Internal to the bridge: one LibTorch implementation per canonical op.
//
// A factory reads a node's attributes once (the graph is already validated
// against op_set.h, so attributes are present and well typed) and returns a
// NodeKernel closure that maps the node's input tensors to its output
// tensors with differentiable ATen operations. Factories live in the
// kernels_*.cpp files, grouped by kind; kernel_registry.cpp maps op names to
// them.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::torchbridge {

struct KernelContext {
  bool training = false;
  double batch_norm_momentum = 0.1;
};

// One tensor per node input slot; an undefined tensor for an absent optional input.
using KernelInputs = std::vector<at::Tensor>;
using NodeKernel = std::function<std::vector<at::Tensor>(const KernelInputs&, const KernelContext&)>;

// Optional input slot i (the node may list fewer inputs): undefined when absent.
inline c10::optional<at::Tensor> optional_input(const KernelInputs& in, size_t i) {
  return i < in.size() && in[i].defined() ? c10::optional<at::Tensor>(in[i]) : c10::nullopt;
}

// What a factory sees: the node, its graph (for shapes) and how to name it.
struct KernelSpec {
  const ir::Graph& graph;
  const ir::Node& node;
  std::string where;  // "node 'conv1' (Conv)"

  const ir::Shape& input_shape(size_t i) const;
  const ir::Shape& output_shape(size_t k) const;
  // Throws BridgeError "<where>: <problem>".
  [[noreturn]] void fail(const std::string& problem) const;
};

// The kernel of g's node `n`; throws BridgeError naming the node for an op
// the bridge does not implement.
NodeKernel make_node_kernel(const ir::Graph& g, const ir::Node& n);

// The kernels of a module, one per node (completes graph_module.h's declaration).
class NodeKernels {
 public:
  std::vector<NodeKernel> per_node;
};

// The optional fused activation of Conv / ConvTranspose / FullyConnected /
// Add / Sub / Mul / Div: "Relu" (bounds [0, +inf) unless act_min / act_max
// are given) or "Clip" (act_min, act_max).
class FusedActivation {
 public:
  explicit FusedActivation(const ir::Node& n);
  at::Tensor operator()(const at::Tensor& x) const;

 private:
  enum class Kind { kNone, kRelu, kClamp };
  Kind kind_ = Kind::kNone;
  double min_ = 0.0, max_ = 0.0;
};

// kernels_layers.cpp: the ops with trainable weights.
NodeKernel make_conv(const KernelSpec& spec);
NodeKernel make_conv_transpose(const KernelSpec& spec);
NodeKernel make_fully_connected(const KernelSpec& spec);
NodeKernel make_batch_norm(const KernelSpec& spec);
// kernels_spatial.cpp: pooling and resizing of NCHW tensors.
NodeKernel make_max_pool(const KernelSpec& spec);
NodeKernel make_average_pool(const KernelSpec& spec);
NodeKernel make_global_average_pool(const KernelSpec& spec);
NodeKernel make_resize(const KernelSpec& spec);
// kernels_elementwise.cpp: binary ops (broadcast), activations (and Sqrt), Softmax.
NodeKernel make_binary(const KernelSpec& spec);
NodeKernel make_activation(const KernelSpec& spec);
NodeKernel make_softmax(const KernelSpec& spec);
// kernels_tensor.cpp: data movement, reductions and the run-time MatMul.
NodeKernel make_concat(const KernelSpec& spec);
NodeKernel make_reshape(const KernelSpec& spec);
NodeKernel make_transpose(const KernelSpec& spec);
NodeKernel make_pad(const KernelSpec& spec);
NodeKernel make_slice(const KernelSpec& spec);
NodeKernel make_split(const KernelSpec& spec);
NodeKernel make_channel_shuffle(const KernelSpec& spec);
NodeKernel make_reduce_mean(const KernelSpec& spec);
NodeKernel make_matmul(const KernelSpec& spec);

}  // namespace bespoke::torchbridge
