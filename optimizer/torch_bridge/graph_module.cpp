// GraphModule: construction (constants -> tensors, one kernel per node),
// evaluation of any values from any feeds, modes, parameters, and writing
// the trained tensors back into an IR graph. Checkpoints: checkpoint.cpp.
#include "torch_bridge/graph_module.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <memory>
#include <set>

#include "ir/op_params.h"
#include "ir/passes.h"
#include "torch_bridge/node_kernel.h"
#include "torch_bridge/tensor_conversion.h"

namespace bespoke::torchbridge {

namespace {

// Input slots holding trainable weights / running statistics, per op.
struct WeightSlots {
  std::vector<size_t> parameters;
  std::vector<size_t> running_stats;
};

WeightSlots weight_slots(const std::string& op) {
  if (op == "Conv" || op == "ConvTranspose" || op == "FullyConnected") return {{1, 2}, {}};
  if (op == "BatchNormalization") return {{1, 2}, {3, 4}};
  return {};
}

std::string sizes_string(at::IntArrayRef sizes) { return ir::shape_string(ir::Shape(sizes.begin(), sizes.end())); }

// Shapes agree on rank and on every dim but the batch dim (dim 0).
bool same_but_batch(at::IntArrayRef actual, const ir::Shape& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t d = 1; d < expected.size(); ++d)
    if (actual[d] != expected[d]) return false;
  return true;
}

// An inner value may carry the batch on another axis than the first, where a
// Transpose moved it (attention's [3, N, heads, T, d] split of a [N, T, 3, heads,
// d] value): then the one axis that differs is where the graph has size 1.
bool same_but_moved_batch(at::IntArrayRef actual, const ir::Shape& expected) {
  if (same_but_batch(actual, expected)) return true;
  if (actual.size() != expected.size()) return false;
  int differing = 0;
  for (size_t d = 0; d < expected.size(); ++d)
    if (actual[d] != expected[d]) {
      if (expected[d] != 1) return false;
      ++differing;
    }
  return differing == 1;
}

}  // namespace

GraphModule::GraphModule(const ir::Graph& graph, const GraphModuleOptions& options)
    : graph_(graph), options_(options), kernels_(std::make_unique<NodeKernels>()) {
  try {
    ir::topological_sort(graph_);
    ir::infer_shapes(graph_);
  } catch (const ir::GraphError& e) {
    throw BridgeError(std::string("graph '") + graph_.name + "': " + e.what());
  }
  const std::vector<std::string> problems = ir::validate(graph_, /*require_canonical=*/true);
  if (!problems.empty()) {
    std::string message = "graph '" + graph_.name + "' is not a valid canonical graph:";
    for (size_t i = 0; i < problems.size() && i < 8; ++i) message += " " + problems[i] + ";";
    if (problems.size() > 8) message += " ... (" + std::to_string(problems.size()) + " problems)";
    throw BridgeError(message);
  }

  const size_t value_count = graph_.values.size();
  roles_.assign(value_count, ConstantRole::kBuffer);
  constants_.resize(value_count);
  state_names_.resize(value_count);
  producer_.assign(value_count, -1);
  // Roles in first-use order; a parameter role wins over a running-statistic one.
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const ir::Node& n = graph_.nodes[i];
    for (int v : n.outputs) producer_[static_cast<size_t>(v)] = static_cast<int>(i);
    const WeightSlots slots = weight_slots(n.op);
    for (size_t slot : slots.parameters) {
      const int v = n.input(slot);
      if (v < 0 || roles_[static_cast<size_t>(v)] == ConstantRole::kParameter) continue;
      roles_[static_cast<size_t>(v)] = ConstantRole::kParameter;
      parameter_ids_.push_back(v);
    }
    for (size_t slot : slots.running_stats) {
      const int v = n.input(slot);
      if (v < 0 || roles_[static_cast<size_t>(v)] != ConstantRole::kBuffer) continue;
      roles_[static_cast<size_t>(v)] = ConstantRole::kRunningStat;
      running_stat_ids_.push_back(v);
    }
  }
  running_stat_ids_.erase(
      std::remove_if(running_stat_ids_.begin(), running_stat_ids_.end(),
                     [&](int v) { return roles_[static_cast<size_t>(v)] != ConstantRole::kRunningStat; }),
      running_stat_ids_.end());

  std::set<std::string> used_names;
  auto name_state = [&](int v) {
    std::string name = graph_.values[static_cast<size_t>(v)].name;
    if (name.empty() || used_names.count(name)) name += "#" + std::to_string(v);
    used_names.insert(name);
    state_names_[static_cast<size_t>(v)] = name;
  };
  for (int v : parameter_ids_) name_state(v);
  for (int v : running_stat_ids_) name_state(v);

  for (size_t v = 0; v < value_count; ++v) {
    const ir::Value& value = graph_.values[v];
    if (!value.constant) continue;
    try {
      constants_[v] = to_tensor(*value.constant);
    } catch (const BridgeError& e) {
      throw BridgeError("constant '" + value.name + "': " + e.what());
    }
    if (roles_[v] == ConstantRole::kParameter) constants_[v].requires_grad_(true);
  }

  kernels_->per_node.reserve(graph_.nodes.size());
  for (const ir::Node& n : graph_.nodes) kernels_->per_node.push_back(make_node_kernel(graph_, n));
}

GraphModule::~GraphModule() = default;
GraphModule::GraphModule(GraphModule&&) noexcept = default;
GraphModule& GraphModule::operator=(GraphModule&&) noexcept = default;

void GraphModule::check_feed(int value, const at::Tensor& t) const {
  if (value < 0 || value >= static_cast<int>(graph_.values.size()))
    throw BridgeError("feed for value id " + std::to_string(value) + ", which is not a value of graph '" + graph_.name +
                      "'");
  const ir::Value& v = graph_.values[static_cast<size_t>(value)];
  if (!t.defined()) throw BridgeError("value '" + v.name + "': the fed tensor is undefined");
  const ir::Shape& expected = graph_.shape_of(value);
  if (t.scalar_type() != scalar_type_of(v.dtype) || !same_but_batch(t.sizes(), expected))
    throw BridgeError("value '" + v.name + "': expected " + ir::dtype_name(v.dtype) + " " + ir::shape_string(expected) +
                      " (any batch size), got " + c10::toString(t.scalar_type()) + " " + sizes_string(t.sizes()));
}

void GraphModule::check_output(size_t node, size_t k, const at::Tensor& t) const {
  const ir::Node& n = graph_.nodes[node];
  const ir::Shape& expected = graph_.shape_of(n.outputs[k]);
  if (!same_but_moved_batch(t.sizes(), expected))
    throw BridgeError(ir::describe(graph_, n) + ": output '" + graph_.values[static_cast<size_t>(n.outputs[k])].name +
                      "' came out " + sizes_string(t.sizes()) + ", the graph says " + ir::shape_string(expected));
}

std::vector<at::Tensor> GraphModule::forward(const std::vector<at::Tensor>& inputs) {
  return forward_values(inputs, graph_.outputs);
}

std::vector<at::Tensor> GraphModule::forward_values(const std::vector<at::Tensor>& inputs,
                                                    const std::vector<int>& wanted) {
  if (inputs.size() != graph_.inputs.size())
    throw BridgeError("graph '" + graph_.name + "' takes " + std::to_string(graph_.inputs.size()) + " inputs, got " +
                      std::to_string(inputs.size()));
  std::vector<Feed> feeds;
  for (size_t i = 0; i < inputs.size(); ++i) feeds.emplace_back(graph_.inputs[i], inputs[i]);
  return evaluate(feeds, wanted);
}

std::vector<at::Tensor> GraphModule::evaluate(const std::vector<Feed>& feeds, const std::vector<int>& wanted) {
  const size_t value_count = graph_.values.size();
  std::vector<at::Tensor> env(value_count);
  std::vector<bool> fed(value_count, false);
  for (const auto& [value, tensor] : feeds) {
    check_feed(value, tensor);
    env[static_cast<size_t>(value)] = tensor;
    fed[static_cast<size_t>(value)] = true;
  }
  for (size_t v = 0; v < value_count; ++v)
    if (!fed[v] && constants_[v].defined()) env[v] = constants_[v];

  // The nodes the wanted values depend on, stopping at feeds and constants.
  std::vector<bool> needed(graph_.nodes.size(), false), visited(value_count, false), keep(value_count, false);
  std::vector<int> pending;
  for (int w : wanted) {
    if (w < 0 || w >= static_cast<int>(value_count))
      throw BridgeError("wanted value id " + std::to_string(w) + " is not a value of graph '" + graph_.name + "'");
    keep[static_cast<size_t>(w)] = true;
    pending.push_back(w);
  }
  while (!pending.empty()) {
    const size_t v = static_cast<size_t>(pending.back());
    pending.pop_back();
    if (visited[v] || env[v].defined()) continue;
    visited[v] = true;
    const int p = producer_[v];
    if (p < 0)
      throw BridgeError("value '" + graph_.values[v].name + "' is needed but neither fed nor computed by a node");
    if (needed[static_cast<size_t>(p)]) continue;
    needed[static_cast<size_t>(p)] = true;
    for (int in : graph_.nodes[static_cast<size_t>(p)].inputs)
      if (in >= 0) pending.push_back(in);
  }

  // Intermediate tensors are dropped after their last reader (autograd keeps what it needs).
  std::vector<int> last_use(value_count, -1);
  for (size_t i = 0; i < graph_.nodes.size(); ++i)
    if (needed[i])
      for (int in : graph_.nodes[i].inputs)
        if (in >= 0) last_use[static_cast<size_t>(in)] = static_cast<int>(i);

  const KernelContext context{training_, options_.batch_norm_momentum};
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (!needed[i]) continue;
    const ir::Node& n = graph_.nodes[i];
    KernelInputs in;
    in.reserve(n.inputs.size());
    for (int v : n.inputs) in.push_back(v >= 0 ? env[static_cast<size_t>(v)] : at::Tensor());
    std::vector<at::Tensor> out;
    try {
      out = kernels_->per_node[i](in, context);
    } catch (const c10::Error& e) {
      throw BridgeError(ir::describe(graph_, n) + ": " + e.what_without_backtrace());
    }
    if (out.size() != n.outputs.size())
      throw BridgeError(ir::describe(graph_, n) + ": kernel returned " + std::to_string(out.size()) + " outputs for " +
                        std::to_string(n.outputs.size()));
    for (size_t k = 0; k < out.size(); ++k) {
      const size_t v = static_cast<size_t>(n.outputs[k]);
      if (fed[v]) continue;  // a fed value wins over a recomputed one
      check_output(i, k, out[k]);
      env[v] = std::move(out[k]);
    }
    for (int v : n.inputs)
      if (v >= 0 && last_use[static_cast<size_t>(v)] == static_cast<int>(i) && !keep[static_cast<size_t>(v)] &&
          !constants_[static_cast<size_t>(v)].defined())
        env[static_cast<size_t>(v)].reset();
  }

  std::vector<at::Tensor> results;
  results.reserve(wanted.size());
  for (int w : wanted) results.push_back(env[static_cast<size_t>(w)]);
  return results;
}

std::vector<at::Tensor> GraphModule::parameters() const {
  std::vector<at::Tensor> out;
  for (int v : parameter_ids_) out.push_back(constants_[static_cast<size_t>(v)]);
  return out;
}

std::vector<GraphModule::NamedTensor> GraphModule::named_parameters() const {
  std::vector<NamedTensor> out;
  for (int v : parameter_ids_)
    out.emplace_back(state_names_[static_cast<size_t>(v)], constants_[static_cast<size_t>(v)]);
  return out;
}

std::vector<GraphModule::NamedTensor> GraphModule::named_running_stats() const {
  std::vector<NamedTensor> out;
  for (int v : running_stat_ids_)
    out.emplace_back(state_names_[static_cast<size_t>(v)], constants_[static_cast<size_t>(v)]);
  return out;
}

std::vector<GraphModule::NamedTensor> GraphModule::state() const {
  std::vector<NamedTensor> out = named_parameters();
  for (auto& entry : named_running_stats()) out.push_back(std::move(entry));
  return out;
}

const at::Tensor& GraphModule::constant(int value) const {
  if (value < 0 || value >= static_cast<int>(constants_.size()) || !constants_[static_cast<size_t>(value)].defined())
    throw BridgeError("value id " + std::to_string(value) + " is not a constant of graph '" + graph_.name + "'");
  return constants_[static_cast<size_t>(value)];
}

void GraphModule::set_num_threads(int threads) {
  if (threads < 1) throw BridgeError("thread count must be >= 1, got " + std::to_string(threads));
  at::set_num_threads(threads);
}

ir::Graph GraphModule::to_graph(const ToGraphOptions& options) const {
  ir::Graph g = graph_;
  auto write_back = [&](int v) {
    g.values[static_cast<size_t>(v)].constant =
        std::make_shared<const ir::TensorData>(to_tensor_data(constants_[static_cast<size_t>(v)]));
  };
  for (int v : parameter_ids_) write_back(v);
  for (int v : running_stat_ids_) write_back(v);
  const bool has_batch_norm =
      std::any_of(g.nodes.begin(), g.nodes.end(), [](const ir::Node& n) { return n.op == "BatchNormalization"; });
  if (options.fold_batch_norm && has_batch_norm) ir::optimize_for_inference(g);
  return g;
}

}  // namespace bespoke::torchbridge
