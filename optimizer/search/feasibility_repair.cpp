#include "search/feasibility_repair.h"

namespace bespoke::search {

Candidate repair_to_budget(const SearchSpace& space, const Budget& budget, Candidate c, random::Random& rng) {
  const int n = static_cast<int>(space.alternatives().size());
  while (!space.feasible(c, budget)) {
    const latency::Prediction now = space.predict(c);
    const bool time_bound = now.ms > budget.ms;
    std::vector<int> savers;
    for (int i = 0; i < n; ++i) {
      if (space.overlaps(c, i)) continue;
      const latency::Prediction next = space.predict(with_added(c, i));
      if (time_bound ? next.ms < now.ms : next.memory_bytes < now.memory_bytes) savers.push_back(i);
    }
    if (savers.empty()) break;
    c = with_added(c, savers[rng.below(savers.size())]);
  }
  return c;
}

}  // namespace bespoke::search
