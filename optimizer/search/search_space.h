// The search space of one target: which alternatives of a house may be
// chosen, which sets of them are students, and what a set is predicted to
// cost on the target (latency/latency_table.h).
//
// Definitions:
//  * an *alternative* of the space is a done alternative of the house that
//    the target's latency table has measured (the others are listed in
//    skipped(): a house grown after profiling, or a failed alternative);
//  * a *candidate* is a set of alternatives whose teacher spans do not
//    overlap, kept as sorted indices into alternatives(); the empty set is
//    the teacher itself;
//  * a candidate is *feasible* when its predicted latency is within the
//    latency budget and, when the target sets one, its predicted memory
//    (arena + weights) within the memory budget.
// The budget in milliseconds is the target's budget_ms, or budget_ratio times
// the teacher's latency measured on that target (the table's teacher_ms).
// No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "latency/latency_table.h"

namespace bespoke::search {

struct SpaceAlternative {
  std::string key;
  int cut_begin = 0, cut_end = 0;
  std::string kind;
  double rel_mse = 0.0;  // distillation error on the house's validation features (NaN stored as 1)
};

using Candidate = std::vector<int>;  // sorted indices into SearchSpace::alternatives()

struct Budget {
  double ms = 0.0;
  int64_t memory_bytes = 0;  // 0 = no memory budget
};

// The budget of `target` on the device its table describes. Throws
// SearchError when the ratio is used and the table has no teacher latency.
Budget resolve_budget(const config::TargetConfig& target, const latency::LatencyTable& table);

class SearchSpace {
 public:
  // Reads the done alternatives of `store`; keeps the table (by value).
  SearchSpace(const house::HouseStore& store, latency::LatencyTable table);

  const std::vector<SpaceAlternative>& alternatives() const { return alternatives_; }
  const std::vector<std::string>& skipped() const { return skipped_; }
  const latency::LatencyTable& table() const { return table_; }

  // Whether alternatives i and j replace overlapping teacher spans.
  bool overlaps(int i, int j) const;
  // Whether alternative i overlaps any member of c.
  bool overlaps(const Candidate& c, int i) const;
  latency::Prediction predict(const Candidate& c) const;
  bool feasible(const Candidate& c, const Budget& budget) const;
  std::vector<std::string> keys(const Candidate& c) const;
  // The candidate of these keys; throws SearchError for a key not in the space.
  Candidate from_keys(const std::vector<std::string>& keys) const;

 private:
  latency::LatencyTable table_;
  std::vector<SpaceAlternative> alternatives_;
  std::vector<std::string> skipped_;
};

// The candidate with i added (kept sorted); i must not overlap it.
Candidate with_added(const Candidate& c, int i);
// The memo key of a candidate: its keys sorted, joined by " + " ("teacher" when empty).
std::string candidate_name(const std::vector<std::string>& keys);

}  // namespace bespoke::search
