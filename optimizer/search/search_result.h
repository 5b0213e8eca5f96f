// The result of searching one target, and its JSON file
// <run.out>/search/<target>.json, which the pipeline reads back to resume.
//
// JSON (every key always present; numbers of an unmeasured candidate are null):
//   {"format": "bespoke-search-result", "version": 1, "context": "<hex>",
//    "target": str, "device": "local"|"agent"|"offline", "budget_ms": x,
//    "memory_budget_bytes": n (0 = none), "searched_budget_ms": x (the
//    predicted budget of the last attempt, tighter than budget_ms after a
//    retry), "attempts": 1|2, "strategy": str, "iterations": n,
//    "evaluations": n, "distinct_evaluations": n, "network_runs": n,
//    "validation_images": n, "teacher_accuracy": x, "teacher_ms": x,
//    "latency": "measured"|"predicted", "status": "ok"|"failed",
//    "message": str, "seconds": x, "skipped": [key...],
//    "greedy": candidate|null, "winner": candidate|null,
//    "measured": [candidate...], "history": [{"evaluation", "accuracy", "predicted_ms"}...]}
//   candidate = {"keys", "accuracy", "mean_loss", "predicted_ms",
//    "predicted_memory_bytes", "measured", "median_ms", "p90_ms",
//    "arena_bytes", "weights_bytes", "budget_ms" (the latency budget it was
//    held to: for a budget_ratio target, measured, the ratio times
//    "teacher_median_ms", the teacher measured in the same run), "meets_budget"}
// A winner is absent ("status": "failed", and the message says why) when no
// candidate met the budget as measured, even after the one retry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "search/end_measurement.h"
#include "search/search_trace.h"

namespace bespoke::search {

struct SearchResult {
  std::string context;  // what the result depends on, hashed (reuse check)
  std::string target, device;
  double budget_ms = 0.0;
  int64_t memory_budget_bytes = 0;
  double searched_budget_ms = 0.0;
  int attempts = 0;
  std::string strategy;
  int64_t iterations = 0;
  int64_t evaluations = 0;           // scoring requests (search_trace.h), over every attempt
  int64_t distinct_evaluations = 0;  // distinct candidates scored
  int64_t network_runs = 0;          // candidates actually run through LibTorch (not memo or journal hits)
  int64_t validation_images = 0;
  double teacher_accuracy = 0.0;  // on the validation subset
  double teacher_ms = 0.0;        // the table's end-to-end teacher latency
  bool latency_measured = false;  // false: an offline target, figures are predictions
  std::string status;             // "ok" or "failed"
  std::string message;
  double seconds = 0.0;
  std::vector<std::string> skipped;         // done alternatives the latency table lacks
  std::optional<MeasuredCandidate> greedy;  // the annealing's start (unmeasured)
  std::optional<MeasuredCandidate> winner;
  std::vector<MeasuredCandidate> measured;  // every candidate measured end to end, over every attempt
  std::vector<HistoryPoint> history;        // new bests of each attempt (evaluation numbers run on across attempts)
};

std::string search_result_json(const SearchResult& result);
// Writes the JSON through a temporary file and a rename (house::write_file_atomically).
void write_search_result(const SearchResult& result, const std::string& path);
// Throws SearchError naming the file (and the key) for a missing,
// unparsable or incomplete file.
SearchResult read_search_result(const std::string& path);

}  // namespace bespoke::search
