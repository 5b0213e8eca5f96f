// Simulated annealing over sets of non-overlapping replacements, from the
// greedy start (ARCHITECTURE.md section 1, step 4).
//
// State: a feasible candidate. Iteration k of N (k = 0 .. N-1) proposes a
// move, chosen uniformly among
//   add     an alternative overlapping no member,
//   remove  a member,
//   swap    a member for another alternative overlapping its span (members
//           the newcomer overlaps leave too),
// then repairs a proposal over budget (feasibility_repair.h: random
// alternatives that save what is over are added, so that removing or
// swapping a member can move the saving elsewhere instead of being refused),
// and redraws (up to kProposalTries times) when the move is impossible, the
// repaired proposal still infeasible, or the current candidate itself; if
// every draw fails the current candidate is scored again (a memo hit), so
// that a run always makes exactly N evaluations after its start. The proposal is accepted when its accuracy is
// not lower, else with probability exp(delta / T_k), with the geometric
// schedule T_k = T0 (Tf / T0)^(k / (N - 1)) (T0 for N = 1). The best
// candidate ever scored (search_trace.h) is the result, so it is never worse
// than the start. Every draw comes from random::Random(seed): same seed, same
// run.
#pragma once

#include <cstdint>

#include "search/search_trace.h"

namespace bespoke::search {

inline constexpr int kProposalTries = 100;

struct AnnealSettings {
  int64_t iterations = 300;
  double initial_temperature = 0.02;
  double final_temperature = 0.0005;
  uint64_t seed = 0;
};

// The temperature of iteration k (the schedule above).
double temperature_at(const AnnealSettings& s, int64_t k);

// Scores `start` (feasible) and then runs the N iterations into `trace`.
void anneal(SearchTrace& trace, const Candidate& start, const AnnealSettings& settings, const ProgressFn& progress);

}  // namespace bespoke::search
