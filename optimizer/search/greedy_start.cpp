#include "search/greedy_start.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace bespoke::search {

std::optional<Candidate> greedy_start(const SearchSpace& space, const Budget& budget,
                                      const std::vector<double>& alone_accuracy, double teacher_accuracy) {
  const auto& alts = space.alternatives();
  std::vector<double> cost(alts.size());
  for (size_t i = 0; i < alts.size(); ++i)
    cost[i] = std::max(0.0, teacher_accuracy - alone_accuracy.at(i)) + kMseWeight * alts[i].rel_mse;

  Candidate c;
  // Latency and memory steps could undo each other: bound the steps.
  for (size_t step = 0; !space.feasible(c, budget); ++step) {
    if (step > 4 * (alts.size() + 1)) return std::nullopt;
    const latency::Prediction now = space.predict(c);
    const bool time_bound = now.ms > budget.ms;
    Candidate pick;
    double pick_ratio = std::numeric_limits<double>::infinity();
    for (int i = 0; i < static_cast<int>(alts.size()); ++i) {
      if (std::find(c.begin(), c.end(), i) != c.end()) continue;
      // Adding i displaces the members it overlaps (an upgrade of their spans).
      Candidate next;
      double added_cost = cost[static_cast<size_t>(i)];
      for (int m : c) {
        if (space.overlaps(m, i))
          added_cost -= cost[static_cast<size_t>(m)];
        else
          next.push_back(m);
      }
      next = with_added(next, i);
      const latency::Prediction p = space.predict(next);
      const double saved =
          time_bound ? now.ms - p.ms : static_cast<double>(now.memory_bytes) - static_cast<double>(p.memory_bytes);
      if (!(saved > 0.0)) continue;
      const double ratio = added_cost / saved;
      if (ratio < pick_ratio) {
        pick_ratio = ratio;
        pick = std::move(next);
      }
    }
    if (pick.empty()) return std::nullopt;
    c = std::move(pick);
  }
  // Members made unnecessary by later, larger savings.
  Candidate by_cost = c;
  std::sort(by_cost.begin(), by_cost.end(),
            [&](int a, int b) { return cost[static_cast<size_t>(a)] > cost[static_cast<size_t>(b)]; });
  for (int member : by_cost) {
    Candidate without;
    std::copy_if(c.begin(), c.end(), std::back_inserter(without), [&](int x) { return x != member; });
    if (space.feasible(without, budget)) c = without;
  }
  return c;
}

}  // namespace bespoke::search
