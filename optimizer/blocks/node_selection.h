// Internal to surgery: which host nodes a piece of the graph needs.
#pragma once

#include <vector>

#include "blocks/block_analysis.h"
#include "ir/graph.h"

namespace bespoke::blocks {

// Adds to `selected` (one flag per node) every node that does not depend on
// the graph input (BlockAnalysis::detached) and that a selected node reads,
// transitively: such nodes compute from constants only and are copied
// wherever they are read.
void add_detached_producers(const ir::Graph& g, const BlockAnalysis& a, std::vector<bool>& selected);

// All nodes, units in order, each unit's nodes in its (topological) order.
std::vector<int> unit_order(const BlockAnalysis& a);

}  // namespace bespoke::blocks
