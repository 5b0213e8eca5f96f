#include "search/search_space.h"

#include <algorithm>
#include <cmath>

#include "search/search_error.h"

namespace bespoke::search {

Budget resolve_budget(const config::TargetConfig& target, const latency::LatencyTable& table) {
  Budget b;
  b.memory_bytes = target.memory_budget_bytes;
  if (target.budget_ms > 0.0) {
    b.ms = target.budget_ms;
  } else {
    if (!(table.teacher_ms > 0.0))
      throw SearchError("target " + target.name + ": budget_ratio needs the teacher's measured latency, " +
                        "and its latency table has none (profile the target again)");
    b.ms = target.budget_ratio * table.teacher_ms;
  }
  if (!(b.ms > 0.0)) throw SearchError("target " + target.name + ": no latency budget (set budget_ms or budget_ratio)");
  return b;
}

SearchSpace::SearchSpace(const house::HouseStore& store, latency::LatencyTable table) : table_(std::move(table)) {
  for (const house::AlternativeRecord& a : store.alternatives()) {
    if (a.status != house::ItemStatus::kDone) continue;
    if (table_.alternatives.count(a.key) == 0) {
      skipped_.push_back(a.key);
      continue;
    }
    SpaceAlternative s;
    s.key = a.key;
    s.cut_begin = a.cut_begin;
    s.cut_end = a.cut_end;
    s.kind = house::kind_name(a.kind);
    s.rel_mse = std::isfinite(a.rel_mse) ? a.rel_mse : 1.0;
    alternatives_.push_back(std::move(s));
  }
}

bool SearchSpace::overlaps(int i, int j) const {
  const SpaceAlternative& a = alternatives_.at(static_cast<size_t>(i));
  const SpaceAlternative& b = alternatives_.at(static_cast<size_t>(j));
  return a.cut_begin < b.cut_end && b.cut_begin < a.cut_end;
}

bool SearchSpace::overlaps(const Candidate& c, int i) const {
  return std::any_of(c.begin(), c.end(), [&](int j) { return overlaps(i, j); });
}

latency::Prediction SearchSpace::predict(const Candidate& c) const {
  std::vector<latency::Choice> choices;
  for (int i : c) {
    const SpaceAlternative& a = alternatives_.at(static_cast<size_t>(i));
    choices.push_back({a.key, a.cut_begin, a.cut_end});
  }
  return latency::predict(table_, choices);
}

bool SearchSpace::feasible(const Candidate& c, const Budget& budget) const {
  const latency::Prediction p = predict(c);
  if (p.ms > budget.ms) return false;
  return budget.memory_bytes <= 0 || p.memory_bytes <= static_cast<uint64_t>(budget.memory_bytes);
}

std::vector<std::string> SearchSpace::keys(const Candidate& c) const {
  std::vector<std::string> k;
  for (int i : c) k.push_back(alternatives_.at(static_cast<size_t>(i)).key);
  return k;
}

Candidate SearchSpace::from_keys(const std::vector<std::string>& keys) const {
  Candidate c;
  for (const std::string& key : keys) {
    const auto it = std::find_if(alternatives_.begin(), alternatives_.end(),
                                 [&](const SpaceAlternative& a) { return a.key == key; });
    if (it == alternatives_.end())
      throw SearchError("target " + table_.target + ": alternative '" + key + "' is not in the search space");
    c.push_back(static_cast<int>(it - alternatives_.begin()));
  }
  std::sort(c.begin(), c.end());
  return c;
}

Candidate with_added(const Candidate& c, int i) {
  Candidate out = c;
  out.insert(std::upper_bound(out.begin(), out.end(), i), i);
  return out;
}

std::string candidate_name(const std::vector<std::string>& keys) {
  if (keys.empty()) return "teacher";
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  std::string name;
  for (const std::string& k : sorted) name += (name.empty() ? "" : " + ") + k;
  return name;
}

}  // namespace bespoke::search
