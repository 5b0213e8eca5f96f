#include "ir/cost.h"

#include <limits>
#include <set>

#include "ir/op_params.h"

namespace bespoke::ir {

namespace {

// Saturating arithmetic: hostile shapes must not overflow the counters.
int64_t mul(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}
int64_t add(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}
int64_t elements(const Shape& s) { return checked_elements(s).value_or(std::numeric_limits<int64_t>::max()); }

const Shape* known_shape(const Graph& g, int v) {
  if (v < 0) return nullptr;
  const auto& s = g.values[static_cast<size_t>(v)].shape;
  return s ? &*s : nullptr;
}

int64_t elements_of(const Graph& g, int v) {
  const Shape* s = known_shape(g, v);
  return s ? elements(*s) : 0;
}

// MACs of the matrix-style ops; 0 when shapes are unknown or the op is not one.
int64_t macs_of(const Graph& g, const Node& n) {
  const Shape* x = known_shape(g, n.input(0));
  const Shape* w = known_shape(g, n.input(1));
  const Shape* y = n.outputs.empty() ? nullptr : known_shape(g, n.outputs[0]);
  if (!x || !w || !y) return 0;
  if (n.op == "Conv" && w->size() >= 2) {  // every output element sums over (C/group) x kernel
    return mul(elements(*y), elements(Shape(w->begin() + 1, w->end())));
  }
  if (n.op == "ConvTranspose" && !w->empty()) {  // every input element scatters into (M/group) x kernel
    return mul(elements(*x), elements(Shape(w->begin() + 1, w->end())));
  }
  if (n.op == "FullyConnected" && w->size() == 2) return mul(elements(*y), (*w)[1]);
  if (n.op == "Gemm" && x->size() == 2) return mul(elements(*y), n.get_int("transA", 0) ? (*x)[0] : (*x)[1]);
  if (n.op == "MatMul" && !x->empty()) return mul(elements(*y), x->back());
  return 0;
}

const std::set<std::string>& elementwise_ops() {
  static const std::set<std::string> ops = {
      "Add",  "Sub",         "Mul",       "Div",  "Pow",       "Max",   "Min",   "Relu",       "Sigmoid",
      "Tanh", "HardSigmoid", "HardSwish", "SiLU", "LeakyRelu", "Clip",  "Elu",   "Selu",       "Exp",
      "Log",  "Sqrt",        "Abs",       "Neg",  "Erf",       "Gelu",  "PRelu", "Reciprocal", "Floor",
      "Ceil", "Softplus",    "Mish",      "Sum",  "Mean",      "Where", "Equal", "Less",       "Greater"};
  return ops;
}

}  // namespace

NodeCost node_cost(const Graph& g, int node) {
  const Node& n = g.nodes.at(static_cast<size_t>(node));
  NodeCost cost;
  for (int v : n.inputs)
    if (v >= 0 && g.values[static_cast<size_t>(v)].is_constant() &&
        g.values[static_cast<size_t>(v)].dtype == DType::kF32)
      cost.params = add(cost.params, elements(g.values[static_cast<size_t>(v)].constant->shape));

  const int64_t out = n.outputs.empty() ? 0 : elements_of(g, n.outputs[0]);
  const int64_t in = elements_of(g, n.input(0));
  cost.macs = macs_of(g, n);
  if (cost.macs > 0) {
    cost.flops = mul(2, cost.macs);
    const bool bias =
        (n.op == "Gemm" || n.op == "Conv" || n.op == "ConvTranspose" || n.op == "FullyConnected") && has_input(n, 2);
    if (bias) cost.flops = add(cost.flops, out);
  } else if (elementwise_ops().count(n.op)) {
    cost.flops = out;
  } else if (n.op == "BatchNormalization" || n.op == "InstanceNormalization" || n.op == "LayerNormalization") {
    cost.flops = mul(2, out);
  } else if (n.op == "Softmax" || n.op == "LogSoftmax") {
    cost.flops = mul(3, out);
  } else if (n.op == "MaxPool" || n.op == "AveragePool") {
    cost.flops = mul(out, elements(n.get_ints("kernel_shape")));
  } else if (n.op == "GlobalAveragePool" || n.op == "GlobalMaxPool" || n.op.rfind("Reduce", 0) == 0) {
    cost.flops = in;
  } else if (n.op == "Resize" && n.get_string("mode", "nearest") == "linear") {
    cost.flops = mul(4, out);
  }
  if (n.has("activation")) cost.flops = add(cost.flops, out);
  return cost;
}

GraphSummary summarize(const Graph& g) {
  GraphSummary s;
  std::set<int> tensors;
  std::set<const TensorData*> constants;
  auto note = [&](int v) {
    if (v < 0 || v >= static_cast<int>(g.values.size())) return;
    tensors.insert(v);
    const Value& value = g.values[static_cast<size_t>(v)];
    if (!value.constant || !constants.insert(value.constant.get()).second) return;
    s.weight_bytes += value.constant->bytes.size();
    if (value.constant->dtype == DType::kF32) s.parameters = add(s.parameters, elements(value.constant->shape));
  };
  for (int v : g.inputs) note(v);
  for (int v : g.outputs) note(v);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    ++s.op_counts[n.op];
    for (int v : n.inputs) note(v);
    for (int v : n.outputs) note(v);
    const NodeCost c = node_cost(g, static_cast<int>(i));
    s.macs = add(s.macs, c.macs);
    s.flops = add(s.flops, c.flops);
  }
  s.tensors = tensors.size();
  s.constants = constants.size();
  return s;
}

}  // namespace bespoke::ir
