#include "search/search_trace.h"

namespace bespoke::search {

SearchTrace::SearchTrace(const SearchSpace& space, const Budget& budget, ScoreFn score)
    : space_(space), budget_(budget), score_fn_(std::move(score)) {}

bool better(const ScoredCandidate& a, const ScoredCandidate& b) {
  if (a.score.accuracy != b.score.accuracy) return a.score.accuracy > b.score.accuracy;
  return a.prediction.ms < b.prediction.ms;
}

const ScoredCandidate* SearchTrace::find(const Candidate& c) const {
  const auto it = index_.find(c);
  return it == index_.end() ? nullptr : &evaluated_[it->second];
}

ScoredCandidate SearchTrace::score(const Candidate& c) {
  ++evaluations_;
  if (const auto it = index_.find(c); it != index_.end()) return evaluated_[it->second];
  ScoredCandidate s;
  s.candidate = c;
  s.keys = space_.keys(c);
  s.prediction = space_.predict(c);
  s.feasible = space_.feasible(c, budget_);
  s.score = score_fn_(s.keys);
  index_[c] = evaluated_.size();
  evaluated_.push_back(std::move(s));
  const ScoredCandidate& added = evaluated_.back();
  if (added.feasible && (best_ < 0 || better(added, evaluated_[static_cast<size_t>(best_)]))) {
    best_ = static_cast<int>(evaluated_.size() - 1);
    history_.push_back({evaluations_, added.score.accuracy, added.prediction.ms});
  }
  return added;
}

}  // namespace bespoke::search
