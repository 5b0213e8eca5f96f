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
  while (!space.feasible(c, budget)) {
    const latency::Prediction now = space.predict(c);
    const bool time_bound = now.ms > budget.ms;
    int pick = -1;
    double pick_ratio = std::numeric_limits<double>::infinity();
    for (int i = 0; i < static_cast<int>(alts.size()); ++i) {
      if (space.overlaps(c, i)) continue;
      const latency::Prediction next = space.predict(with_added(c, i));
      const double saved = time_bound ? now.ms - next.ms
                                      : static_cast<double>(now.memory_bytes) - static_cast<double>(next.memory_bytes);
      if (!(saved > 0.0)) continue;
      const double ratio = cost[static_cast<size_t>(i)] / saved;
      if (ratio < pick_ratio) {
        pick_ratio = ratio;
        pick = i;
      }
    }
    if (pick < 0) return std::nullopt;
    c = with_added(c, pick);
  }
  // Members made unnecessary by later, larger savings.
  Candidate by_cost = c;
  std::sort(by_cost.begin(), by_cost.end(), [&](int a, int b) { return cost[static_cast<size_t>(a)] > cost[static_cast<size_t>(b)]; });
  for (int member : by_cost) {
    Candidate without;
    std::copy_if(c.begin(), c.end(), std::back_inserter(without), [&](int x) { return x != member; });
    if (space.feasible(without, budget)) c = without;
  }
  return c;
}

}  // namespace bespoke::search
