// TorchGraph: the LibTorch-free face of GraphModule, for tools that keep
// their tensors as ir::TensorData (bespoke-opt, latency and export steps):
// run a graph through LibTorch, load a training checkpoint, write the trained
// graph back. Including this header does not pull in LibTorch; LibTorch users
// reach the module itself through module() and graph_module.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "torch_bridge/bridge_error.h"
#include "torch_bridge/module_options.h"

namespace bespoke::torchbridge {

class GraphModule;

class TorchGraph {
 public:
  // Throws BridgeError when `graph` is not a valid canonical graph.
  explicit TorchGraph(const ir::Graph& graph, const GraphModuleOptions& options = {});
  ~TorchGraph();
  TorchGraph(TorchGraph&&) noexcept;
  TorchGraph& operator=(TorchGraph&&) noexcept;

  const ir::Graph& graph() const;

  // Inference (eval mode, no autograd): one tensor per graph input -> the graph
  // outputs, or the values `wanted` (value ids of graph()).
  std::vector<ir::TensorData> run(const std::vector<ir::TensorData>& inputs);
  std::vector<ir::TensorData> run_values(const std::vector<ir::TensorData>& inputs, const std::vector<int>& wanted);

  // Elements of all trainable tensors.
  int64_t parameter_count() const;

  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);
  ir::Graph to_graph(const ToGraphOptions& options = {}) const;

  // LibTorch intra-op threads (process-wide).
  static void set_num_threads(int threads);

  GraphModule& module() { return *module_; }

 private:
  std::unique_ptr<GraphModule> module_;
};

}  // namespace bespoke::torchbridge
