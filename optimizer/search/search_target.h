// Searching one target: the library entry point the pipeline (bespoke-opt
// run) and `bespoke-opt search` call.
//
// Steps (ARCHITECTURE.md section 1, step 4; issue 12 "Search"):
//  1. <run.out>/search/<target>.json exists and was made from the same
//     context (house config, teacher, data, [search], [profile], run.seed, the
//     target's settings, its latency table) and not `force`: it is read back
//     and returned as it is (a re-run reuses it; `force` searches again);
//  2. the space (search_space.h): the house's done alternatives that the
//     target's table has; the budget from the target and the table;
//  3. the evaluator (candidate_evaluator.h) caches the teacher's features on
//     the validation subset; the journal <run.out>/search/<target>.evaluations.jsonl
//     (evaluation_journal.h) seeds its memo, and every new evaluation is
//     appended, so a killed search redoes none of them;
//  4. strategy "anneal": each alternative alone is scored (the greedy's
//     input), the greedy start (greedy_start.h), then annealing
//     (annealing.h). Strategy "random": as many evaluations of random
//     feasible candidates (random_search.h) as "anneal" makes, alternatives
//     alone + start + iterations;
//  5. the best search.measure_best feasible candidates are measured end to
//     end (end_measurement.h) and the winner picked; if none meets the budget
//     as measured, the predicted budget is tightened by the largest
//     measured / predicted ratio (latency, and memory when over) and steps 4-5
//     run once more; still none: status "failed", honestly, no winner;
//  6. the result is written to <run.out>/search/<target>.json.
// Without a link (offline target) step 5 measures nothing and the result
// says its latencies are predictions.
//
// Seeds: every draw comes from run.seed mixed with the target's name (and the
// attempt), so the same config gives the same result.
#pragma once

#include <iosfwd>
#include <string>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/device_link.h"
#include "latency/latency_table.h"
#include "search/search_result.h"

namespace bespoke::search {

struct SearchOptions {
  bool force = false;           // search again even if a result of the same context exists
  std::ostream* log = nullptr;  // progress lines; null = silent
};

// <run.out>/search/<target>.json
std::string search_result_path(const config::OptimizerConfig& config, const std::string& target);

// `teacher`: as loaded from [teacher] (before blocks::assign_unit_blocks);
// `link`: the target's device, or null for an offline target. Throws
// SearchError (no budget, a journal or result it cannot write), house::HouseError,
// latency::LatencyError, data::DataError, each naming what and where.
SearchResult search_target(const house::HouseStore& store, const config::OptimizerConfig& config,
                           const config::TargetConfig& target, const ir::Graph& teacher,
                           const latency::LatencyTable& table, latency::DeviceLink* link, const SearchOptions& options);

}  // namespace bespoke::search
