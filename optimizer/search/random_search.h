// The random-search baseline (issue 12, baseline iii): random feasible
// candidates from the same space, scored with the same evaluator, for a given
// number of evaluations; the best one is the result (search_trace.h).
//
// A draw: the alternatives in a random order, each added with probability p
// (p itself uniform in (0, 1) per draw, so that both small and large sets
// occur) when it overlaps no member; then it is repaired to the budget
// (feasibility_repair.h). A draw that stays
// infeasible is redrawn, up to kRandomTries times per evaluation; after that
// the budget is taken as unreachable (SearchError).
#pragma once

#include <cstdint>

#include "search/search_trace.h"

namespace bespoke::search {

inline constexpr int kRandomTries = 1000;

void random_search(SearchTrace& trace, int64_t evaluations, uint64_t seed, const ProgressFn& progress);

}  // namespace bespoke::search
