// The greedy initial solution of the search (ARCHITECTURE.md section 1,
// step 4): replace the spans that cost the least accuracy per millisecond
// saved until the budget is met.
//
// Algorithm. The cost of alternative i is its accuracy drop stitched alone,
// max(0, teacher accuracy - accuracy alone), plus kMseWeight x its
// distillation error (relative MSE), which orders alternatives whose drop on
// a small subset is the same (often zero). Starting from the teacher, while
// the candidate is not feasible, one step adds the alternative with the least
// added cost per unit saved of the violated resource (latency first, then
// memory: milliseconds or bytes, predicted in the context of what is chosen);
// adding it displaces the members it overlaps (their cost is subtracted), so a
// cheap replacement chosen early can be upgraded to a span-wider or faster
// one. Every step strictly lowers the violated resource; steps alternating
// between latency and memory are bounded (4 x (alternatives + 1) steps).
// Then, costliest first, drop any member whose removal keeps the candidate
// feasible.
//
// Edge cases: the teacher already feasible gives the empty candidate; no
// alternative left that saves anything while still infeasible gives nullopt
// (the budget cannot be met with this house).
#pragma once

#include <optional>
#include <vector>

#include "search/search_space.h"

namespace bespoke::search {

inline constexpr double kMseWeight = 1e-3;

// `alone_accuracy[i]`: accuracy of the teacher with alternative i alone.
std::optional<Candidate> greedy_start(const SearchSpace& space, const Budget& budget,
                                      const std::vector<double>& alone_accuracy, double teacher_accuracy);

}  // namespace bespoke::search
