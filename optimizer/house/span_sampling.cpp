#include "house/span_sampling.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "house/teacher_stages.h"

namespace bespoke::house {

namespace {

bool is_feature_map(const ir::Graph& g, int value) {
  const auto& shape = g.values.at(static_cast<size_t>(value)).shape;
  return shape && shape->size() == 4;
}

// The output comes from a final Softmax or Sigmoid (task/task_head.h).
bool ends_with_activation(const ir::Graph& g) {
  const int node = g.producer(g.outputs.at(0));
  if (node < 0) return false;
  const std::string& op = g.nodes[static_cast<size_t>(node)].op;
  return op == "Softmax" || op == "Sigmoid";
}

template <typename T>
const T& pick(const std::vector<T>& items, std::mt19937_64& rng) {
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(rng)];
}

void check_options(const SpanOptions& o, size_t units) {
  if (o.count < 0)
    throw std::invalid_argument("span count must be auto (0) or at least 1, not " + std::to_string(o.count));
  if (o.min_units < 1 || (o.max_units != 0 && o.max_units < o.min_units))
    throw std::invalid_argument("span length bounds must satisfy 1 <= min_units <= max_units (or max auto), not " +
                                std::to_string(o.min_units) + ".." + std::to_string(o.max_units));
  if (!o.unit_cost.empty() && o.unit_cost.size() != units)
    throw std::invalid_argument("unit_cost has " + std::to_string(o.unit_cost.size()) + " values for " +
                                std::to_string(units) + " units");
}

}  // namespace

SpanSample sample_spans(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, const SpanOptions& o) {
  const size_t units = analysis.units.size();
  check_options(o, units);
  const std::vector<Stage> stages = teacher_stages(analysis);
  const std::vector<int> stage_of = stage_of_units(stages, units);
  const auto cut_is_map = [&](int cut) { return is_feature_map(teacher, analysis.cuts.at(static_cast<size_t>(cut))); };
  // Whether units a..b-1 fit the length bound (see the header).
  const auto fits = [&](int a, int b) {
    if (o.max_units > 0) return b - a <= o.max_units;
    const int first = stage_of[static_cast<size_t>(a)], last = stage_of[static_cast<size_t>(b - 1)];
    for (int u = a; u < b; ++u)
      if (stage_of[static_cast<size_t>(u)] < 0) return false;
    return last == first || (last == first + 1 && b - 1 == stages[static_cast<size_t>(last)].unit_begin);
  };
  // The unit that ends with the output's activation belongs to the task head:
  // a span never ends at the output then (a dense map's Sigmoid would be
  // dropped or distilled away, and a student must keep the output contract).
  const int last_end = ends_with_activation(teacher) ? static_cast<int>(units) - 1 : static_cast<int>(units);
  std::vector<SpanChoice> eligible;
  for (int a = 0; a < static_cast<int>(units); ++a) {
    if (!cut_is_map(a)) continue;
    for (int b = a + o.min_units; b <= last_end; ++b)
      if (cut_is_map(b) && fits(a, b)) eligible.push_back({a, b});
  }

  SpanSample sample;
  sample.eligible = static_cast<int>(eligible.size());
  std::vector<bool> coverable(units, false);
  for (const SpanChoice& s : eligible)
    for (int u = s.cut_begin; u < s.cut_end; ++u) coverable[static_cast<size_t>(u)] = true;
  for (size_t u = 0; u < units; ++u) {
    UnitCost unit{analysis.units[u].name, analysis.units[u].flops, ""};
    if (!coverable[u])
      unit.not_coverable = static_cast<int>(u) >= last_end ? "ends with the output's activation (the task head)"
                           : !cut_is_map(static_cast<int>(u)) || !cut_is_map(static_cast<int>(u) + 1)
                               ? "input or output not a feature map"
                               : "in no span of house.min_units..max_units between feature maps";
    sample.units.push_back(std::move(unit));
  }

  std::mt19937_64 rng(o.seed);
  std::vector<bool> covered(units, false), taken(eligible.size(), false);
  const auto choose = [&](size_t index, SpanStep step, int unit) {
    const SpanChoice& s = eligible[index];
    taken[index] = true;
    sample.chosen.push_back({s, step, unit});
    for (int u = s.cut_begin; u < s.cut_end; ++u) covered[static_cast<size_t>(u)] = true;
  };

  // 1. Coverage, the costliest unit first.
  std::vector<int> order(units);
  std::iota(order.begin(), order.end(), 0);
  const auto cost = [&](int u) {
    return o.unit_cost.empty() ? static_cast<double>(analysis.units[static_cast<size_t>(u)].flops)
                               : o.unit_cost[static_cast<size_t>(u)];
  };
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return cost(x) > cost(y); });
  for (int u : order) {
    if (!coverable[static_cast<size_t>(u)] || covered[static_cast<size_t>(u)]) continue;
    std::vector<size_t> starting, containing;
    for (size_t i = 0; i < eligible.size(); ++i) {
      if (taken[i]) continue;
      if (eligible[i].cut_begin == u) starting.push_back(i);
      if (eligible[i].cut_begin <= u && u < eligible[i].cut_end) containing.push_back(i);
    }
    choose(pick(starting.empty() ? containing : starting, rng), SpanStep::kCoverage, u);
  }
  // 2. Whole stages.
  if (o.max_units == 0)
    for (const Stage& st : stages) {
      const auto it = std::find(eligible.begin(), eligible.end(), SpanChoice{st.unit_begin, st.unit_end});
      if (it != eligible.end() && !taken[static_cast<size_t>(it - eligible.begin())])
        choose(static_cast<size_t>(it - eligible.begin()), SpanStep::kStage, -1);
    }
  // 3. Fill up to the count.
  while (static_cast<int>(sample.chosen.size()) < o.count) {
    std::vector<size_t> left;
    for (size_t i = 0; i < eligible.size(); ++i)
      if (!taken[i]) left.push_back(i);
    if (left.empty()) break;
    choose(pick(left, rng), SpanStep::kFill, -1);
  }

  for (const ChosenSpan& c : sample.chosen) sample.spans.push_back(c.span);
  std::sort(sample.spans.begin(), sample.spans.end(), [](const SpanChoice& x, const SpanChoice& y) {
    return x.cut_begin != y.cut_begin ? x.cut_begin < y.cut_begin : x.cut_end < y.cut_end;
  });
  std::vector<CutSpan> cut_spans;
  for (const SpanChoice& s : sample.spans) cut_spans.emplace_back(s.cut_begin, s.cut_end);
  sample.coverage = compute_coverage(sample.units, cut_spans);
  return sample;
}

}  // namespace bespoke::house
