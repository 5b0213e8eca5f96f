// Repair of an infeasible candidate, shared by the random baseline's draws
// and the annealing's proposals: while the candidate is over budget, add a
// uniformly drawn alternative that overlaps no member and lowers the
// violated resource (predicted latency first, then memory). Stops when
// feasible or when no such alternative is left (the result is then still
// infeasible; callers check).
#pragma once

#include "random/seeded_random.h"
#include "search/search_space.h"

namespace bespoke::search {

Candidate repair_to_budget(const SearchSpace& space, const Budget& budget, Candidate c, random::Random& rng);

}  // namespace bespoke::search
