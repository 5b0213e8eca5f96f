#include "search/random_search.h"

#include "random/seeded_random.h"
#include "search/feasibility_repair.h"
#include "search/search_error.h"

namespace bespoke::search {

namespace {

Candidate draw(const SearchSpace& space, const Budget& budget, random::Random& rng) {
  const int n = static_cast<int>(space.alternatives().size());
  const double p = rng.uniform();
  Candidate c;
  for (int64_t i : random::random_permutation(n, rng.next()))
    if (rng.uniform() < p && !space.overlaps(c, static_cast<int>(i))) c = with_added(c, static_cast<int>(i));
  return repair_to_budget(space, budget, std::move(c), rng);
}

}  // namespace

void random_search(SearchTrace& trace, int64_t evaluations, uint64_t seed, const ProgressFn& progress) {
  random::Random rng(seed);
  for (int64_t k = 0; k < evaluations; ++k) {
    Candidate c = draw(trace.space(), trace.budget(), rng);
    for (int tries = 1; !trace.space().feasible(c, trace.budget()); ++tries) {
      if (tries >= kRandomTries)
        throw SearchError("target " + trace.space().table().target + ": no random candidate meets the budget of " +
                          std::to_string(trace.budget().ms) + " ms in " + std::to_string(kRandomTries) + " draws");
      c = draw(trace.space(), trace.budget(), rng);
    }
    trace.score(c);
    if (progress) progress({k + 1, evaluations, 0.0, trace.best()});
  }
}

}  // namespace bespoke::search
