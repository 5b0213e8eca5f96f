// Dead code elimination: keeps the nodes graph outputs depend on, then drops
// values nothing references any more (value ids are renumbered).
#include "ir/graph_analysis.h"
#include "ir/passes.h"

namespace bespoke::ir {

int eliminate_dead_code(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> live(g.nodes.size(), false);
  std::vector<int> work;
  auto need = [&](int value) {
    if (value < 0) return;
    const int p = uses.producer[static_cast<size_t>(value)];
    if (p >= 0 && !live[static_cast<size_t>(p)]) {
      live[static_cast<size_t>(p)] = true;
      work.push_back(p);
    }
  };
  for (int v : g.outputs) need(v);
  while (!work.empty()) {
    const int n = work.back();
    work.pop_back();
    for (int v : g.nodes[static_cast<size_t>(n)].inputs) need(v);
  }
  int removed = 0;
  std::vector<bool> dead(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    dead[i] = !live[i];
    removed += dead[i] ? 1 : 0;
  }
  if (removed > 0) {
    g.erase_nodes(dead);
    drop_stale_blocks(g);
  }
  const size_t before = g.values.size();
  g.compact_values();
  return removed + static_cast<int>(before - g.values.size());
}

}  // namespace bespoke::ir
