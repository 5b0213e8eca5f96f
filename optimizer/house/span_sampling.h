// Which spans of the teacher the house makes alternatives for.
//
// A span [a, b] (teacher cut indices, blocks/block_analysis.h) is eligible
// when min_units <= b - a <= max_units and both its input and its output are
// rank-4 feature maps: alternatives (shorter spans, pretrained convolutional
// spans, pruned or factorized convolutions) exist only between feature maps,
// so spans reaching into a classifier head (pooled vectors, logits) are left
// out.
//
// Sampling, seeded and deterministic:
//  1. coverage: walk the units in order; at the first unit that some
//     eligible span covers and no chosen span does, choose (uniformly, seeded)
//     one of the eligible spans that start there, else one that contains it;
//  2. fill: add eligible spans uniformly at random, without repetition, until
//     `count` spans are chosen or none is left.
// So with enough spans every unit an alternative can replace is covered by
// at least one span; with fewer, coverage stops at `count` (reported by
// SpanSample::uncovered_units). The result is sorted by (a, b).
#pragma once

#include <cstdint>
#include <vector>

#include "blocks/block_analysis.h"
#include "ir/graph.h"

namespace bespoke::house {

struct SpanChoice {
  int cut_begin = 0;
  int cut_end = 0;
  bool operator==(const SpanChoice& o) const { return cut_begin == o.cut_begin && cut_end == o.cut_end; }
};

struct SpanSample {
  std::vector<SpanChoice> spans;
  int eligible = 0;                  // eligible spans in the teacher
  std::vector<int> uncovered_units;  // units some eligible span covers but no chosen span does
};

// Throws std::invalid_argument for count < 1 or bounds outside 1 <= min <= max.
SpanSample sample_spans(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int count, int min_units,
                        int max_units, uint64_t seed);

}  // namespace bespoke::house
