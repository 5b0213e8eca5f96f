// What a search strategy produces, and the one place that scores a candidate
// for it: every distinct candidate evaluated (with its accuracy and predicted
// cost), the best one so far, and the best-so-far history.
//
// Definitions:
//  * an *evaluation* is one scoring request by a strategy (a memo or journal
//    hit included); strategies are compared at an equal number of them;
//  * the *best* candidate is the feasible one with the highest validation
//    accuracy; among equal accuracies the lower predicted latency, then the
//    one seen first.
// Infeasible candidates (the alternatives alone, scored for the greedy) are
// counted as evaluations but never become the best.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "latency/latency_table.h"
#include "search/candidate_evaluator.h"
#include "search/search_space.h"

namespace bespoke::search {

struct ScoredCandidate {
  Candidate candidate;
  std::vector<std::string> keys;
  CandidateScore score;
  latency::Prediction prediction;
  bool feasible = false;
};

struct HistoryPoint {
  int64_t evaluation = 0;  // the evaluation that found a new best
  double accuracy = 0.0;
  double predicted_ms = 0.0;
};

// One progress report of a strategy.
struct ProgressTick {
  int64_t iteration = 0, iterations = 0;
  double temperature = 0.0;               // 0 for the random strategy
  const ScoredCandidate* best = nullptr;  // null until a feasible candidate was scored
};
using ProgressFn = std::function<void(const ProgressTick&)>;

// Scores a set of keys (CandidateEvaluator::evaluate, or a test's function).
using ScoreFn = std::function<CandidateScore(const std::vector<std::string>& keys)>;

class SearchTrace {
 public:
  SearchTrace(const SearchSpace& space, const Budget& budget, ScoreFn score);

  // Scores c (one evaluation), records it, and returns (a copy of) its record.
  ScoredCandidate score(const Candidate& c);

  const std::vector<ScoredCandidate>& evaluated() const { return evaluated_; }  // distinct, first-seen order
  // The record of c, or null when c was not scored.
  const ScoredCandidate* find(const Candidate& c) const;
  const ScoredCandidate* best() const { return best_ < 0 ? nullptr : &evaluated_[static_cast<size_t>(best_)]; }
  int64_t evaluations() const { return evaluations_; }
  const std::vector<HistoryPoint>& history() const { return history_; }
  const SearchSpace& space() const { return space_; }
  const Budget& budget() const { return budget_; }

 private:
  const SearchSpace& space_;
  Budget budget_;
  ScoreFn score_fn_;
  std::vector<ScoredCandidate> evaluated_;
  std::map<Candidate, size_t> index_;
  int best_ = -1;
  int64_t evaluations_ = 0;
  std::vector<HistoryPoint> history_;
};

// The better of two feasible records by the rule above (true if a beats b).
bool better(const ScoredCandidate& a, const ScoredCandidate& b);

}  // namespace bespoke::search
