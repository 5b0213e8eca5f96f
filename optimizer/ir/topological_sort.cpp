// Stable topological sort (see topological_order). Blocks whose nodes stay
// contiguous follow their nodes; blocks torn apart by the reordering are dropped.
#include <algorithm>

#include "ir/graph_analysis.h"
#include "ir/passes.h"

namespace bespoke::ir {

int topological_sort(Graph& g) {
  const std::vector<int> order = topological_order(g);
  int moved = 0;
  for (size_t i = 0; i < order.size(); ++i) moved += order[i] != static_cast<int>(i) ? 1 : 0;
  if (moved == 0) return 0;

  std::vector<int> position(order.size());
  for (size_t i = 0; i < order.size(); ++i) position[static_cast<size_t>(order[i])] = static_cast<int>(i);
  std::vector<Block> kept;
  for (Block& b : g.blocks) {
    if (b.first_node < 0 || b.node_count <= 0 ||
        static_cast<size_t>(b.first_node) + static_cast<size_t>(b.node_count) > order.size())
      continue;
    const auto first = position.begin() + b.first_node;
    const auto [lo, hi] = std::minmax_element(first, first + b.node_count);
    if (*hi - *lo + 1 != b.node_count) continue;
    b.first_node = *lo;
    kept.push_back(std::move(b));
  }
  g.blocks = std::move(kept);

  std::vector<Node> sorted;
  sorted.reserve(order.size());
  for (int i : order) sorted.push_back(std::move(g.nodes[static_cast<size_t>(i)]));
  g.nodes = std::move(sorted);
  return moved;
}

}  // namespace bespoke::ir
