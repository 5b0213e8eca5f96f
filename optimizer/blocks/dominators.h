// Immediate dominators on a directed acyclic graph, by the iterative
// algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance
// Algorithm", 2001): process vertices in an order where every vertex comes
// after its predecessors, set idom(v) to the nearest common dominator of its
// already-processed predecessors (walking both up the dominator tree by order
// rank), repeat until nothing changes. On a DAG given in topological order
// the first sweep is already final; the second only confirms it. O(V + E)
// sweeps times the dominator-tree depth walked per edge, ample for networks
// with thousands of operators.
//
// Post-dominators are the dominators of the reversed graph: pass successors
// as `predecessors`, the reversed order, and the exit as `entry`.
#pragma once

#include <vector>

namespace bespoke::blocks {

// idom per vertex: idom[entry] == entry, -1 for vertices not reachable from
// `entry` (and for vertices absent from `order`). `order` lists vertices so
// that every edge goes from an earlier to a later one (a topological order);
// `predecessors[v]` may name vertices outside `order` (they are ignored).
std::vector<int> immediate_dominators(const std::vector<std::vector<int>>& predecessors, const std::vector<int>& order,
                                      int entry);

}  // namespace bespoke::blocks
