#include "blocks/dominators.h"

#include <stdexcept>

namespace bespoke::blocks {

std::vector<int> immediate_dominators(const std::vector<std::vector<int>>& predecessors, const std::vector<int>& order,
                                      int entry) {
  const size_t n = predecessors.size();
  if (entry < 0 || static_cast<size_t>(entry) >= n)
    throw std::invalid_argument("immediate_dominators: bad entry vertex");
  std::vector<int> rank(n, -1);
  for (size_t i = 0; i < order.size(); ++i) {
    const int v = order[i];
    if (v < 0 || static_cast<size_t>(v) >= n || rank[static_cast<size_t>(v)] >= 0)
      throw std::invalid_argument("immediate_dominators: order is not a list of distinct vertices");
    rank[static_cast<size_t>(v)] = static_cast<int>(i);
  }
  if (rank[static_cast<size_t>(entry)] < 0) throw std::invalid_argument("immediate_dominators: entry is not in order");

  std::vector<int> idom(n, -1);
  idom[static_cast<size_t>(entry)] = entry;
  // Walks two fingers up the (partial) dominator tree until they meet; the
  // one later in the order moves, since a dominator precedes what it dominates.
  auto intersect = [&](int a, int b) {
    while (a != b) {
      while (rank[static_cast<size_t>(a)] > rank[static_cast<size_t>(b)]) a = idom[static_cast<size_t>(a)];
      while (rank[static_cast<size_t>(b)] > rank[static_cast<size_t>(a)]) b = idom[static_cast<size_t>(b)];
    }
    return a;
  };

  for (bool changed = true; changed;) {
    changed = false;
    for (int v : order) {
      if (v == entry) continue;
      int candidate = -1;
      for (int p : predecessors[static_cast<size_t>(v)]) {
        if (p < 0 || static_cast<size_t>(p) >= n || rank[static_cast<size_t>(p)] < 0) continue;
        if (idom[static_cast<size_t>(p)] < 0) continue;  // not (yet) known reachable
        if (rank[static_cast<size_t>(p)] >= rank[static_cast<size_t>(v)])
          throw std::invalid_argument("immediate_dominators: order is not topological (an edge goes backwards)");
        candidate = candidate < 0 ? p : intersect(p, candidate);
      }
      if (candidate != idom[static_cast<size_t>(v)]) {
        idom[static_cast<size_t>(v)] = candidate;
        changed = true;
      }
    }
  }
  return idom;
}

}  // namespace bespoke::blocks
