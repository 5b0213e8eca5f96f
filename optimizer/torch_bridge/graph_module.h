// GraphModule: a trainable LibTorch module built from a canonical ir::Graph
// (ir/op_set.h), the base of block-level distillation and fine-tuning.
//
// Every canonical op runs as LibTorch (ATen) operations, so autograd works
// through the whole graph and the numbers match the runtime's reference
// backend (rtol 1e-3, atol 1e-4 on real CNNs; tests/torch/).
//
// Constants become tensors once, at construction:
//  * parameters (requires_grad): the weights and biases of Conv,
//    ConvTranspose and FullyConnected, the scale and bias of
//    BatchNormalization;
//  * running statistics: BatchNormalization mean and variance, updated by
//    forward() in training mode (PyTorch convention, `batch_norm_momentum`)
//    and used in eval mode;
//  * every other constant is a fixed buffer.
// A constant value id used by several nodes is one tensor (tied weights).
//
// The batch dimension (dim 0) may differ from the graph's: shapes are checked
// on dims 1.. only, and a Reshape that keeps the graph's batch keeps the
// actual one. Everything else is fixed by the graph (a Conv's input size,
// Resize output sizes, ...).
//
// Value ids are those of the graph given to the constructor (graph().values).
// Only the LibTorch users of the bridge include this header; tools that need
// no tensors use the LibTorch-free facade torch_graph.h.
#pragma once

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "torch_bridge/bridge_error.h"
#include "torch_bridge/module_options.h"

namespace bespoke::torchbridge {

class NodeKernels;  // the per-node LibTorch implementations (node_kernel.h)

class GraphModule {
 public:
  using Feed = std::pair<int, at::Tensor>;  // value id, tensor
  using NamedTensor = std::pair<std::string, at::Tensor>;

  // Sorts, shape-infers and validates (ir::validate, canonical) a copy of
  // `graph`; throws BridgeError listing the problems.
  explicit GraphModule(const ir::Graph& graph, const GraphModuleOptions& options = {});
  ~GraphModule();
  GraphModule(GraphModule&&) noexcept;
  GraphModule& operator=(GraphModule&&) noexcept;
  GraphModule(const GraphModule&) = delete;
  GraphModule& operator=(const GraphModule&) = delete;

  // The graph as built (topologically sorted, shapes inferred); its constants
  // are the initial weights (see to_graph() for the trained ones).
  const ir::Graph& graph() const { return graph_; }

  // One tensor per graph input, in graph().inputs order -> graph outputs.
  std::vector<at::Tensor> forward(const std::vector<at::Tensor>& inputs);
  // The same run, returning the values `wanted` (any value ids: intermediate
  // values, outputs, constants) instead of the graph outputs.
  std::vector<at::Tensor> forward_values(const std::vector<at::Tensor>& inputs, const std::vector<int>& wanted);
  // Runs only the nodes needed to compute `wanted` from `feeds`: a feed may
  // be any value (a graph input, or an intermediate feature to run one span
  // of the graph). Throws BridgeError if a needed value is neither fed nor
  // computable from the feeds.
  std::vector<at::Tensor> evaluate(const std::vector<Feed>& feeds, const std::vector<int>& wanted);

  // Training mode: BatchNormalization normalizes with batch statistics and
  // updates its running statistics. Eval mode (the default) uses them.
  void train(bool on = true) { training_ = on; }
  void eval() { training_ = false; }
  bool is_training() const { return training_; }

  // Trainable tensors (requires_grad), in a stable order.
  std::vector<at::Tensor> parameters() const;
  std::vector<NamedTensor> named_parameters() const;
  // BatchNormalization running means and variances.
  std::vector<NamedTensor> named_running_stats() const;
  // What a checkpoint holds: named_parameters() then named_running_stats().
  // Names are the constants' value names (made unique with "#<id>" if needed).
  std::vector<NamedTensor> state() const;
  // The tensor of a constant value id (parameter, running statistic or buffer).
  const at::Tensor& constant(int value) const;

  // Intra-op threads of LibTorch (process-wide; LibTorch starts with one here).
  static void set_num_threads(int threads);

  // The graph with the current parameters and running statistics written
  // back into its constants (new ir::TensorData; the other constants are
  // shared with graph()).
  ir::Graph to_graph(const ToGraphOptions& options = {}) const;

  // Checkpoints: state() as a pickled dict name -> tensor (torch::pickle_save,
  // readable with torch.load in Python). save() writes `path`.tmp then renames,
  // so an interrupted save never leaves a truncated checkpoint. load() checks
  // that every name is present with the same shape and that there are no
  // extra names, then copies; throws BridgeError naming the file and entries.
  void save(const std::string& path) const;
  void load(const std::string& path);

 private:
  enum class ConstantRole { kBuffer, kParameter, kRunningStat };

  void check_feed(int value, const at::Tensor& t) const;
  void check_output(size_t node, size_t k, const at::Tensor& t) const;

  ir::Graph graph_;
  GraphModuleOptions options_;
  bool training_ = false;
  std::vector<at::Tensor> constants_;     // per value id; undefined for non-constants
  std::vector<ConstantRole> roles_;       // per value id (kBuffer for non-constants)
  std::vector<std::string> state_names_;  // per value id; "" unless parameter / running stat
  std::vector<int> parameter_ids_;        // value ids, in first-use order
  std::vector<int> running_stat_ids_;
  std::vector<int> producer_;  // node index per value id, -1 if none
  std::unique_ptr<NodeKernels> kernels_;
};

}  // namespace bespoke::torchbridge
