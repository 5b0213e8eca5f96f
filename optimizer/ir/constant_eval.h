// Evaluation of one node on constant inputs, for constant folding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

// True for the ops evaluate_constant_node knows (shape arithmetic and cheap math).
bool is_foldable_op(const std::string& op);

// The node's output tensors, computed from its constant inputs (Shape / Size
// only need the input's known shape). Output shapes and dtypes are taken from
// the output values, so shape inference must have run on the node. nullopt
// when the node cannot be evaluated exactly: missing constants or shapes,
// an index out of range, integer division by zero or overflow.
std::optional<std::vector<TensorData>> evaluate_constant_node(const Graph& g, const Node& n);

}  // namespace bespoke::ir
