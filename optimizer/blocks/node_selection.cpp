#include "blocks/node_selection.h"

#include "ir/graph_analysis.h"

namespace bespoke::blocks {

void add_detached_producers(const ir::Graph& g, const BlockAnalysis& a, std::vector<bool>& selected) {
  const ir::UseMap uses(g);
  std::vector<int> work;
  for (size_t n = 0; n < selected.size(); ++n)
    if (selected[n]) work.push_back(static_cast<int>(n));
  while (!work.empty()) {
    const int n = work.back();
    work.pop_back();
    for (int v : g.nodes[static_cast<size_t>(n)].inputs) {
      if (v < 0) continue;
      const int p = uses.producer[static_cast<size_t>(v)];
      if (p < 0 || selected[static_cast<size_t>(p)] || !a.detached[static_cast<size_t>(p)]) continue;
      selected[static_cast<size_t>(p)] = true;
      work.push_back(p);
    }
  }
}

std::vector<int> unit_order(const BlockAnalysis& a) {
  std::vector<int> order;
  for (const SubNetwork& unit : a.units) order.insert(order.end(), unit.nodes.begin(), unit.nodes.end());
  return order;
}

}  // namespace bespoke::blocks
