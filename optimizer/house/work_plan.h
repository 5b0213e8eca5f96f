// The work of a house build, decided before anything is trained: the sampled
// teacher spans (span_sampling.h: every replaceable unit covered, the
// costliest first) and, for each, its alternatives in a fixed order. The plan
// is a pure function of the teacher, the pretrained sources and the config
// (seed included), so a resumed build, every shard of a sharded build and the
// whole build all see the same plan and the same keys.
//
// Per span, alternatives are made for the configured kinds (drop, pretrained
// per source, pruned per ratio -- the whole span first, then each drop's kept
// span --, low_rank per ratio) and then capped at
// house.max_alternatives_per_span by taking them round-robin across kinds
// (first drop, first pretrained, first pruned, first low_rank, second drop,
// ...), so a tight cap still keeps every kind that exists for the span.
// Pretrained source spans have house.min_units..max_units units; with
// max_units auto, at most as many as the teacher span they replace.
//
// Sharding: shard K of N takes the alternatives whose position in the plan is
// K modulo N: equal parts (within one), each a mix of kinds and spans.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "config/optimizer_config.h"
#include "house/alternative.h"
#include "house/pretrained_spans.h"
#include "house/span_sampling.h"
#include "ir/graph.h"

namespace bespoke::house {

struct WorkPlan {
  SpanSample sample;
  std::vector<Alternative> alternatives;  // in plan order
  SkipCounts skips;                       // alternatives not made, by reason
};

// `teacher` must be the teacher after blocks::assign_unit_blocks, `analysis`
// its analysis. Throws std::invalid_argument for settings it cannot use.
WorkPlan plan_house(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis,
                    const std::vector<PretrainedSource>& sources, const config::OptimizerConfig& config);

// Positions of the plan's alternatives that shard `index` of `count` builds.
std::vector<size_t> shard_positions(size_t alternatives, int index, int count);

}  // namespace bespoke::house
