// Which spans of the teacher the house makes alternatives for.
//
// Eligible spans. A span [a, b] (teacher cut indices, blocks/block_analysis.h)
// is eligible when b - a >= min_units, both its input and its output are
// rank-4 feature maps, and its length fits max_units:
//  * a count: b - a <= max_units;
//  * auto: its units lie in one stage (house/teacher_stages.h: a run of units
//    whose outputs keep one H x W, opened by its stride unit), or in one
//    stage and the first (stride) unit of the next, so that "this whole stage
//    replaced by a pruned drop or a pretrained stage" and "stage 1 and the
//    stride block after it, replaced by the stride block alone, thinned" are
//    both in the search space.
// Alternatives (shorter spans, pretrained convolutional spans, pruned or
// factorized convolutions) exist only between feature maps, so spans reaching
// into a classifier head (flattened vectors, logits) are left out, and so is
// the last unit when the output comes from a final Softmax or Sigmoid (the
// task head's activation, task/task_head.h: a detector's probability map is a
// feature map, but its Sigmoid must stay in every student). A unit is
// *coverable* when some eligible span contains it; SpanSample::units says why
// the others are not (their input or output is not a feature map, or no span
// of the allowed lengths around them is eligible).
//
// Sampling, seeded and deterministic, in three steps:
//  1. coverage: walk the coverable units from the costliest to the cheapest
//     (cost = SpanOptions::unit_cost, else the unit's FLOPs; ties by unit
//     index); for each unit no chosen span covers yet, choose uniformly
//     (seeded) one of the eligible spans that start at it, else one of those
//     that contain it. The costliest unit is thus covered by the first span
//     chosen, and replaced from its own input onwards; every coverable unit
//     ends up covered whatever the count.
//  2. stages (max_units auto only): add the span of each whole stage, when
//     eligible and not chosen yet, so the search can drop or prune a stage as
//     one block.
//  3. fill (count only): add eligible spans uniformly at random, without
//     repetition, until `count` spans are chosen or none is left. A count
//     below what steps 1-2 chose adds nothing and removes nothing.
// The result is sorted by (a, b); SpanSample::chosen keeps the order of choice.
//
// The house build orders coverage by FLOPs (no unit_cost): its plan must be a
// function of the teacher and the config only (house/work_plan.h), and a
// latency profile is made from the house, after it.
#pragma once

#include <cstdint>
#include <vector>

#include "blocks/block_analysis.h"
#include "house/house_coverage.h"
#include "ir/graph.h"

namespace bespoke::house {

struct SpanChoice {
  int cut_begin = 0;
  int cut_end = 0;
  bool operator==(const SpanChoice& o) const { return cut_begin == o.cut_begin && cut_end == o.cut_end; }
};

struct SpanOptions {
  int count = 0;      // 0 = auto: steps 1-2 only; else fill up to count spans
  int min_units = 1;  // >= 1
  int max_units = 0;  // 0 = auto (stages), else >= min_units
  uint64_t seed = 0;
  std::vector<double> unit_cost;  // per teacher unit; empty = the units' FLOPs
};

enum class SpanStep { kCoverage, kStage, kFill };

struct ChosenSpan {
  SpanChoice span;
  SpanStep step = SpanStep::kCoverage;
  int unit = -1;  // kCoverage: the unit it was chosen to cover
};

struct SpanSample {
  std::vector<SpanChoice> spans;   // sorted by (cut_begin, cut_end)
  std::vector<ChosenSpan> chosen;  // the same spans, in the order chosen
  int eligible = 0;                // eligible spans in the teacher
  std::vector<UnitCost> units;     // per teacher unit: name, FLOPs, why no eligible span can hold it
  Coverage coverage;               // of `spans` over `units`
};

// Throws std::invalid_argument for count < 0, bounds outside 1 <= min <= max
// (max 0 = auto), or a unit_cost of another size than the units.
SpanSample sample_spans(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, const SpanOptions& options);

}  // namespace bespoke::house
