// Small helpers the approximations (channel_pruning, low_rank) share to
// rewrite a span's weights in place: read a float constant, swap in a new one,
// and settle the graph afterwards.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace bespoke::house {

// The float32 contents of constant value `v` (throws ir::GraphError if `v`
// is not a float32 constant).
std::vector<float> constant_floats(const ir::Graph& g, int v);

// Points input `slot` of node `n` at a new constant holding `values`.
void replace_constant_input(ir::Graph& g, int n, size_t slot, const ir::Shape& shape, std::vector<float> values);

// After weights changed shape: forgets every non-constant shape but the
// input's, infers them again, drops unused constants (renumbers value ids)
// and checks the graph (throws ir::GraphError listing the problems).
void settle_rewritten(ir::Graph& g);

// A dense convolution: Conv with group 1 and a weight input.
bool is_plain_conv(const ir::Node& n);

}  // namespace bespoke::house
