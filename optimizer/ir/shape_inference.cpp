// The shape inference driver: visits nodes in topological order and applies
// the rule of each op (shape_rules_*.cpp). Ops without a rule keep unknown
// outputs -- the importer reports unsupported ops, not this pass.
#include "ir/shape_inference.h"

#include <algorithm>

#include "ir/graph_analysis.h"
#include "ir/op_params.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

const ShapeRuleTable& rule_table() {
  static const ShapeRuleTable table = [] {
    ShapeRuleTable t;
    add_elementwise_shape_rules(t);
    add_nn_shape_rules(t);
    add_tensor_shape_rules(t);
    return t;
  }();
  return table;
}

// Element count of s, or -1 when it exceeds kMaxTensorElements (no overflow on the way).
int64_t bounded_elements(const Shape& s) {
  int64_t count = 1;
  for (int64_t d : s) {
    if (d == 0) return 0;
    if (d < 0 || count > kMaxTensorElements / d) return -1;
    count *= d;
  }
  return count;
}

bool fully_known(const Value& v) {
  return v.shape && std::all_of(v.shape->begin(), v.shape->end(), [](int64_t d) { return d >= 0; });
}

}  // namespace

bool ShapeQuery::present(size_t i) const { return has_input(n, i); }

const Shape& ShapeQuery::shape(size_t i) const {
  if (!present(i)) fail("input " + std::to_string(i) + " is required");
  return *g.values[static_cast<size_t>(n.inputs[i])].shape;
}

DType ShapeQuery::dtype(size_t i) const {
  if (!present(i)) fail("input " + std::to_string(i) + " is required");
  return g.values[static_cast<size_t>(n.inputs[i])].dtype;
}

void ShapeQuery::fail(const std::string& message) const {
  std::string text = where + ": " + message + " (inputs:";
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i] < 0) continue;
    const Value& v = g.values[static_cast<size_t>(n.inputs[i])];
    text += " '" + v.name + "' " + (v.shape ? shape_string(*v.shape) : std::string("[?]"));
  }
  throw GraphError(text + ")");
}

bool has_shape_rule(const std::string& op) { return rule_table().count(op) != 0; }

int infer_node_shapes(Graph& g, int node) {
  Node& n = g.nodes.at(static_cast<size_t>(node));
  auto rule = rule_table().find(n.op);
  if (rule == rule_table().end()) return 0;
  for (int v : n.inputs)
    if (v >= 0 && !fully_known(g.values[static_cast<size_t>(v)])) return 0;
  const ShapeQuery query{g, n, describe(g, n)};
  const Outputs outs = rule->second(query);

  int changed = 0;
  for (size_t i = 0; i < std::min(outs.size(), n.outputs.size()); ++i) {
    if (n.outputs[i] < 0) continue;
    Value& v = g.values[static_cast<size_t>(n.outputs[i])];
    bool value_changed = false;
    if (outs[i].dtype && v.dtype != *outs[i].dtype) {
      v.dtype = *outs[i].dtype;
      value_changed = true;
    }
    if (const auto& s = outs[i].shape) {
      if (std::any_of(s->begin(), s->end(), [](int64_t d) { return d < 0; }))
        query.fail("inferred a negative dimension " + shape_string(*s) + " for output '" + v.name + "'");
      if (bounded_elements(*s) < 0)
        query.fail("output '" + v.name + "' would have " + shape_string(*s) + " elements, more than 2^48");
      if (fully_known(v) && *v.shape != *s)
        query.fail("output '" + v.name + "' is declared " + shape_string(*v.shape) + " but the inputs give " +
                   shape_string(*s));
      if (!v.shape || *v.shape != *s) {
        v.shape = *s;
        value_changed = true;
      }
    }
    changed += value_changed ? 1 : 0;
  }
  return changed;
}

int infer_shapes(Graph& g) {
  for (const Value& v : g.values)
    if (v.shape && fully_known(v) && bounded_elements(*v.shape) < 0)
      throw GraphError("value '" + v.name + "' has shape " + shape_string(*v.shape) + ", more than 2^48 elements");
  int changed = 0;
  for (int node : topological_order(g)) changed += infer_node_shapes(g, node);
  return changed;
}

}  // namespace bespoke::ir
