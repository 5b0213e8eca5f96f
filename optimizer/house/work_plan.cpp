#include "house/work_plan.h"

#include <algorithm>
#include <sstream>

#include "blocks/surgery.h"
#include "house/channel_pruning.h"
#include "house/low_rank.h"
#include "house/teacher_drops.h"

namespace bespoke::house {

namespace {

// A rewrite whose graph no longer checks (a span of a real network holding
// an operator the rewrite cannot re-infer, such as the reshapes of an
// attention block) skips that alternative, counted with its reason, instead
// of failing the whole plan.
std::optional<ir::Graph> rewritten_or_skipped(std::optional<ir::Graph> (*make)(const ir::Graph&, double, std::string*),
                                              const ir::Graph& span, double ratio, std::string* why) {
  try {
    return make(span, ratio, why);
  } catch (const ir::GraphError&) {
    *why = "the rewritten span does not check (an operator whose shapes it cannot re-infer)";
    return std::nullopt;
  }
}

std::string ratio_text(double r) {
  std::ostringstream s;
  s << r;
  return s.str();
}

bool wants(const config::OptimizerConfig& c, AlternativeKind kind) {
  return std::find(c.house.kinds.begin(), c.house.kinds.end(), kind_name(kind)) != c.house.kinds.end();
}

Alternative approximation(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int a, int b,
                          AlternativeKind kind, double ratio, ir::Graph graph) {
  Alternative alt;
  const blocks::SubNetwork span = analysis.span(a, b);
  alt.origin_node_begin = teacher.nodes[static_cast<size_t>(span.nodes.front())].name;
  alt.origin_node_end = teacher.nodes[static_cast<size_t>(span.nodes.back())].name;
  alt.key = span_key(a, b) + "/" + kind_name(kind) + "/" + ratio_text(ratio);
  alt.kind = kind;
  alt.cut_begin = a;
  alt.cut_end = b;
  alt.ratio = ratio;
  alt.origin_model = teacher.name;
  alt.graph = std::move(graph);
  alt.provenance.kind = kind == AlternativeKind::kPruned ? ir::ProvenanceKind::kPruned : ir::ProvenanceKind::kLowRank;
  alt.provenance.source_model = teacher.name;
  alt.provenance.source_node_begin = alt.origin_node_begin;
  alt.provenance.source_node_end = alt.origin_node_end;
  alt.provenance.parameters.emplace_back(kind == AlternativeKind::kPruned ? "prune_ratio" : "rank_ratio",
                                         ratio_text(ratio));
  return alt;
}

// `drop` (a kept teacher sub-span [c, d] of [a, b]) with its inner filters
// pruned at `ratio`: key "s<a>-<b>/pruned/<c>-<d>/<ratio>".
Alternative pruned_drop(const ir::Graph& teacher, const Alternative& drop, double ratio, ir::Graph graph) {
  Alternative alt = drop;
  const std::string kept = drop.key.substr(drop.key.rfind('/') + 1);
  alt.key = span_key(drop.cut_begin, drop.cut_end) + "/pruned/" + kept + "/" + ratio_text(ratio);
  alt.kind = AlternativeKind::kPruned;
  alt.ratio = ratio;
  alt.origin_model = teacher.name;
  alt.graph = std::move(graph);
  alt.provenance.kind = ir::ProvenanceKind::kPruned;
  alt.provenance.parameters = {{"kept", kept}, {"prune_ratio", ratio_text(ratio)}};
  return alt;
}

// Takes from the per-kind lists in turn until `cap` alternatives are chosen.
std::vector<Alternative> round_robin(std::vector<std::vector<Alternative>> by_kind, size_t cap, SkipCounts& skips) {
  std::vector<Alternative> out;
  size_t total = 0;
  for (const auto& list : by_kind) total += list.size();
  for (size_t round = 0; out.size() < cap && out.size() < total; ++round)
    for (auto& list : by_kind)
      if (round < list.size() && out.size() < cap) out.push_back(std::move(list[round]));
  if (total > out.size()) skips["over the per-span limit"] += static_cast<int>(total - out.size());
  return out;
}

}  // namespace

WorkPlan plan_house(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis,
                    const std::vector<PretrainedSource>& sources, const config::OptimizerConfig& config) {
  const config::HouseConfig& h = config.house;
  WorkPlan plan;
  SpanOptions spans;
  spans.count = static_cast<int>(h.spans.count);
  spans.min_units = static_cast<int>(h.min_units);
  spans.max_units = static_cast<int>(h.max_units.count);
  spans.seed = config.run.seed;
  plan.sample = sample_spans(teacher, analysis, spans);
  PretrainedOptions pretrained;
  pretrained.min_units = static_cast<int>(h.min_units);
  pretrained.max_params_ratio = h.max_params_ratio;
  pretrained.max_per_span = static_cast<int>(h.max_pretrained_per_span);

  for (const SpanChoice& span : plan.sample.spans) {
    const int a = span.cut_begin, b = span.cut_end;
    // Source spans as long as the bound, or (auto) as the teacher span they replace.
    pretrained.max_units = h.max_units.is_auto() ? b - a : static_cast<int>(h.max_units.count);
    std::vector<std::vector<Alternative>> by_kind(4);
    if (wants(config, AlternativeKind::kDrop)) by_kind[0] = teacher_drops(teacher, analysis, a, b);
    if (wants(config, AlternativeKind::kPretrained))
      for (const PretrainedSource& source : sources) {
        std::vector<Alternative> alts =
            pretrained_alternatives(teacher, analysis, a, b, source, pretrained, plan.skips);
        for (Alternative& alt : alts) by_kind[1].push_back(std::move(alt));
      }
    // Pruned and low-rank approximations of the span, one per configured ratio.
    using Approximate = std::optional<ir::Graph> (*)(const ir::Graph&, double, std::string*);
    const struct {
      AlternativeKind kind;
      const std::vector<double>& ratios;
      Approximate make;
      size_t slot;
    } approximations[] = {{AlternativeKind::kPruned, h.prune_ratios, &prune_channels, 2},
                          {AlternativeKind::kLowRank, h.low_rank_ratios, &factorize_low_rank, 3}};
    std::optional<ir::Graph> teacher_span;
    for (const auto& x : approximations) {
      if (!wants(config, x.kind)) continue;
      if (!teacher_span) teacher_span = blocks::extract_span(teacher, a, b);
      for (double r : x.ratios) {
        std::string why;
        if (std::optional<ir::Graph> g = rewritten_or_skipped(x.make, *teacher_span, r, &why))
          by_kind[x.slot].push_back(approximation(teacher, analysis, a, b, x.kind, r, std::move(*g)));
        else
          ++plan.skips[std::string(kind_name(x.kind)) + ": " + why];
      }
    }
    // A drop's kept sub-span pruned as well: the cheapest stand-ins from the
    // teacher itself (a stride block alone, thinned), which the tightest
    // budgets need where dropping or pruning alone saves too little.
    if (wants(config, AlternativeKind::kPruned))
      for (const Alternative& drop : teacher_drops(teacher, analysis, a, b)) {
        if (drop.graph.nodes.empty()) continue;  // the identity: nothing to prune
        for (double r : h.prune_ratios) {
          std::string why;
          if (std::optional<ir::Graph> g = rewritten_or_skipped(&prune_channels, drop.graph, r, &why))
            by_kind[2].push_back(pruned_drop(teacher, drop, r, std::move(*g)));
          else
            ++plan.skips[std::string("pruned: ") + why];
        }
      }
    for (Alternative& alt :
         round_robin(std::move(by_kind), static_cast<size_t>(h.max_alternatives_per_span), plan.skips))
      plan.alternatives.push_back(std::move(alt));
  }
  return plan;
}

std::vector<size_t> shard_positions(size_t alternatives, int index, int count) {
  std::vector<size_t> positions;
  for (size_t i = static_cast<size_t>(index); i < alternatives; i += static_cast<size_t>(count)) positions.push_back(i);
  return positions;
}

}  // namespace bespoke::house
