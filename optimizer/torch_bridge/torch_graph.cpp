#include "torch_bridge/torch_graph.h"

#include <ATen/core/grad_mode.h>

#include "torch_bridge/graph_module.h"
#include "torch_bridge/tensor_conversion.h"

namespace bespoke::torchbridge {

TorchGraph::TorchGraph(const ir::Graph& graph, const GraphModuleOptions& options)
    : module_(std::make_unique<GraphModule>(graph, options)) {}
TorchGraph::~TorchGraph() = default;
TorchGraph::TorchGraph(TorchGraph&&) noexcept = default;
TorchGraph& TorchGraph::operator=(TorchGraph&&) noexcept = default;

const ir::Graph& TorchGraph::graph() const { return module_->graph(); }

std::vector<ir::TensorData> TorchGraph::run(const std::vector<ir::TensorData>& inputs) {
  return run_values(inputs, module_->graph().outputs);
}

std::vector<ir::TensorData> TorchGraph::run_values(const std::vector<ir::TensorData>& inputs,
                                                   const std::vector<int>& wanted) {
  std::vector<at::Tensor> tensors;
  for (const ir::TensorData& data : inputs) tensors.push_back(to_tensor(data));
  const at::NoGradGuard no_grad;
  const bool was_training = module_->is_training();
  module_->eval();
  std::vector<at::Tensor> results;
  try {
    results = module_->forward_values(tensors, wanted);
  } catch (...) {
    module_->train(was_training);
    throw;
  }
  module_->train(was_training);
  std::vector<ir::TensorData> out;
  for (const at::Tensor& t : results) out.push_back(to_tensor_data(t));
  return out;
}

int64_t TorchGraph::parameter_count() const {
  int64_t count = 0;
  for (const at::Tensor& t : module_->parameters()) count += t.numel();
  return count;
}

void TorchGraph::save_checkpoint(const std::string& path) const { module_->save(path); }
void TorchGraph::load_checkpoint(const std::string& path) { module_->load(path); }
ir::Graph TorchGraph::to_graph(const ToGraphOptions& options) const { return module_->to_graph(options); }
void TorchGraph::set_num_threads(int threads) { GraphModule::set_num_threads(threads); }

}  // namespace bespoke::torchbridge
