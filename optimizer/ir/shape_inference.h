// Per-node shape inference (infer_shapes in passes.h runs it over a graph).
// The rule tables live in shape_rules_*.cpp; this header is what constant
// folding and the rules share.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

// Infers the output shapes and dtypes of node `node` from its inputs (all
// input shapes must be known, else nothing happens). Returns how many output
// values changed. Throws GraphError naming the node, op and shapes on
// inconsistent inputs or when a result contradicts an already known shape.
int infer_node_shapes(Graph& g, int node);

// Largest element count shape inference accepts for any tensor (2^48): keeps
// all later size arithmetic (bytes, MACs) inside int64.
constexpr int64_t kMaxTensorElements = int64_t{1} << 48;

// True if a shape rule exists for `op` (unknown ops keep unknown outputs).
bool has_shape_rule(const std::string& op);

// What a shape rule sees of its node.
struct ShapeQuery {
  const Graph& g;
  const Node& n;
  std::string where;  // "node 'x' (Op)"

  bool present(size_t i) const;
  const Shape& shape(size_t i) const;  // only for present inputs (the driver checks they are known)
  DType dtype(size_t i) const;
  int64_t rank(size_t i) const { return static_cast<int64_t>(shape(i).size()); }
  // Throws GraphError: where + message + the node's input shapes.
  [[noreturn]] void fail(const std::string& message) const;
};

struct OutputInfo {
  std::optional<Shape> shape;  // nullopt: not computable yet (e.g. parameter input not constant)
  std::optional<DType> dtype;  // nullopt: leave as is
};
using Outputs = std::vector<OutputInfo>;  // one per node output (may be shorter: rest unknown)
using ShapeRule = Outputs (*)(const ShapeQuery&);
using ShapeRuleTable = std::unordered_map<std::string, ShapeRule>;

void add_elementwise_shape_rules(ShapeRuleTable& table);
void add_nn_shape_rules(ShapeRuleTable& table);
void add_tensor_shape_rules(ShapeRuleTable& table);

}  // namespace bespoke::ir
