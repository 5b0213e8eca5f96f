// The end of a search: the best few distinct feasible candidates are
// stitched and measured end to end on the target (latency::DeviceLink), and
// the best accuracy among those that meet the budget as measured wins.
//
// Measurement: one MeasureRequest with the teacher and every candidate's
// .bspk (interleaved rounds, [profile] warmup / runs / rounds / seed, the
// target's backend and threads, no block profiling, which would slow the run
// it measures). A model's median is the median of its round medians, its p90
// the median of its round p90s; arena and weight bytes are what the runtime
// reports.
//
// The budget a measurement is held to: budget_ms for an absolute budget; for
// budget_ratio, the ratio times the teacher's median *in the same run*, so
// that a device slower (or faster) now than when it was profiled, a busy
// shared machine for instance, moves the teacher and the students alike. A
// candidate meets the budget when its median is within that and, when the
// target has a memory budget, arena + weights are within it.
//
// Without a link (an "offline" target) nothing is measured: every figure
// stays the prediction, flagged measured = false, and a candidate meets the
// budget as predicted (they all do: only feasible candidates are chosen).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/device_link.h"
#include "search/search_trace.h"

namespace bespoke::search {

struct MeasuredCandidate {
  std::vector<std::string> keys;
  double accuracy = 0.0, mean_loss = 0.0;  // on the validation subset
  double predicted_ms = 0.0;
  uint64_t predicted_memory_bytes = 0;
  bool measured = false;  // false: the figures below are absent (no link)
  double median_ms = 0.0, p90_ms = 0.0;
  uint64_t arena_bytes = 0, weights_bytes = 0;
  double budget_ms = 0.0;          // the latency budget it was held to (see above)
  double teacher_median_ms = 0.0;  // the teacher in the same run (measured only)
  bool meets_budget = false;
};

// A scored candidate before (or without) its measurement on the device.
MeasuredCandidate unmeasured(const ScoredCandidate& s, double budget_ms);

// The best `count` distinct feasible candidates of `trace`, best first.
std::vector<ScoredCandidate> best_candidates(const SearchTrace& trace, int64_t count);

// Measures `candidates` on the target through `link` (null: predicted only);
// `budget` is the target's (resolve_budget).
// Throws latency::LatencyError (device) or house::HouseError (files).
std::vector<MeasuredCandidate> measure_candidates(latency::DeviceLink* link, const config::TargetConfig& target,
                                                  const config::ProfileConfig& profile, const ir::Graph& teacher,
                                                  const blocks::BlockAnalysis& analysis, const house::HouseStore& store,
                                                  const std::vector<ScoredCandidate>& candidates, const Budget& budget);

// The index of the winner in `measured` (best accuracy among those meeting
// the budget, then lower measured latency), or nullopt when none does.
std::optional<size_t> pick_winner(const std::vector<MeasuredCandidate>& measured);

}  // namespace bespoke::search
