// The stages of a teacher: where its feature maps keep one spatial size.
//
// A *stage* is a maximal run of consecutive units (blocks/block_analysis.h)
// whose outputs are feature maps (rank 4, NCHW, shape known) of the same
// spatial size H x W. A stride unit (one that changes H x W) therefore opens
// the stage of the size it produces: in a ResNet, stage k is its stride-2
// block and the blocks after it; the stem opens the first stage.
//
// Edge cases: a unit whose output is not a feature map (a pooled and
// flattened vector, logits, a shape-less value) belongs to no stage and ends
// the run before it; a global pool's output [N, C, 1, 1] is a feature map of
// size 1 x 1, so it forms a stage of its own. Stages are in unit order and do
// not overlap; units between two stages (none in a plain CNN) belong to none.
#pragma once

#include <cstdint>
#include <vector>

#include "blocks/block_analysis.h"

namespace bespoke::house {

struct Stage {
  int unit_begin = 0;  // first unit
  int unit_end = 0;    // one past the last unit; the stage is the span [unit_begin, unit_end] of cuts
  int64_t height = 0, width = 0;
};

std::vector<Stage> teacher_stages(const blocks::BlockAnalysis& analysis);

// Per unit: the index of its stage in `stages`, or -1.
std::vector<int> stage_of_units(const std::vector<Stage>& stages, size_t units);

}  // namespace bespoke::house
