// The students the quality benchmark compares Bespoke's against (issue #12,
// "Quality, measured"): made without the house, then fine-tuned and measured
// exactly like a Bespoke student (finetune.h, device_acceptance.h).
//  (i)  uniform channel pruning: every inner convolution of the teacher loses
//       the same fraction of its filters, ranked by L1 norm
//       (house/channel_pruning.h applied to the whole teacher);
//  (ii) a small CNN of the teacher's family (arch/architecture.h, e.g.
//       "resnet8-w16") from random initial weights, at the teacher's input
//       shape and class count.
// (iii), random search over the same house, is the search's "random" strategy.
#pragma once

#include <string>

#include "ir/graph.h"

namespace bespoke::pipeline {

// Throws std::invalid_argument when the teacher has no inner convolution or
// the ratio is outside (0, 1).
ir::Graph uniformly_pruned_teacher(const ir::Graph& teacher, double ratio);

// Throws std::invalid_argument for an unknown architecture name.
ir::Graph scratch_student(const std::string& architecture, const ir::Graph& teacher, uint64_t seed);

}  // namespace bespoke::pipeline
