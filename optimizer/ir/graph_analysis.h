// Use-def facts and orderings shared by the passes. A UseMap is a snapshot:
// rebuild it after editing the graph.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

struct UseMap {
  explicit UseMap(const Graph& g);

  std::vector<int> producer;              // per value: producing node, or -1
  std::vector<std::vector<int>> readers;  // per value: nodes reading it (each node once, in node order)
  std::vector<bool> graph_output;         // per value
  std::vector<bool> block_boundary;       // per value: some block's input or output

  // True when `value` can disappear into a fusion with `node`: `node` is its
  // only reader and it is neither a graph output nor a block boundary.
  bool private_to(int value, int node) const;
};

// Node indices in a stable topological order (among ready nodes the lowest
// index first, so an already sorted graph keeps its order). Inputs that no
// node produces count as available. Throws GraphError listing the nodes of a
// cycle, or naming a value produced twice.
std::vector<int> topological_order(const Graph& g);

// Drops blocks that no longer describe a valid span after an edit: range out
// of bounds, or output value not produced inside the range.
void drop_stale_blocks(Graph& g);

}  // namespace bespoke::ir
