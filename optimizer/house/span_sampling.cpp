#include "house/span_sampling.h"

#include <algorithm>
#include <random>
#include <stdexcept>

namespace bespoke::house {

namespace {

bool is_feature_map(const ir::Graph& g, int value) {
  const auto& shape = g.values.at(static_cast<size_t>(value)).shape;
  return shape && shape->size() == 4;
}

template <typename T>
const T& pick(const std::vector<T>& items, std::mt19937_64& rng) {
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)];
}

}  // namespace

SpanSample sample_spans(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int count, int min_units,
                        int max_units, uint64_t seed) {
  if (count < 1) throw std::invalid_argument("span count must be at least 1, not " + std::to_string(count));
  if (min_units < 1 || max_units < min_units)
    throw std::invalid_argument("span length bounds must satisfy 1 <= min_units <= max_units, not " +
                                std::to_string(min_units) + ".." + std::to_string(max_units));
  const int cuts = static_cast<int>(analysis.cuts.size());
  std::vector<SpanChoice> eligible;
  for (int a = 0; a < cuts; ++a)
    for (int b = a + min_units; b <= std::min(cuts - 1, a + max_units); ++b)
      if (is_feature_map(teacher, analysis.cuts[static_cast<size_t>(a)]) &&
          is_feature_map(teacher, analysis.cuts[static_cast<size_t>(b)]))
        eligible.push_back({a, b});

  SpanSample sample;
  sample.eligible = static_cast<int>(eligible.size());
  std::mt19937_64 rng(seed);
  std::vector<bool> covered(analysis.units.size(), false);
  auto choose = [&](const SpanChoice& s) {
    sample.spans.push_back(s);
    for (int u = s.cut_begin; u < s.cut_end; ++u) covered[static_cast<size_t>(u)] = true;
    eligible.erase(std::find(eligible.begin(), eligible.end(), s));
  };
  for (int u = 0; u < static_cast<int>(analysis.units.size()); ++u) {
    if (covered[static_cast<size_t>(u)]) continue;
    std::vector<SpanChoice> starting, containing;
    for (const SpanChoice& s : eligible) {
      if (s.cut_begin == u) starting.push_back(s);
      if (s.cut_begin <= u && u < s.cut_end) containing.push_back(s);
    }
    if (containing.empty()) continue;  // no alternative can replace this unit
    if (static_cast<int>(sample.spans.size()) == count) {
      sample.uncovered_units.push_back(u);
      continue;
    }
    choose(pick(starting.empty() ? containing : starting, rng));
  }
  while (static_cast<int>(sample.spans.size()) < count && !eligible.empty()) choose(pick(eligible, rng));
  std::sort(sample.spans.begin(), sample.spans.end(), [](const SpanChoice& x, const SpanChoice& y) {
    return x.cut_begin != y.cut_begin ? x.cut_begin < y.cut_begin : x.cut_end < y.cut_end;
  });
  return sample;
}

}  // namespace bespoke::house
