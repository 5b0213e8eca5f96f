// Element-wise steps appended to a kernel, computed in place on its output
// viewed as a flat vector (element-wise math does not care about layout).
// Used by the element-wise operators themselves and by weighted operators
// whose fused activation is cheaper as a separate pass than as a post-op.
#pragma once

#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/primitive_kernel.h"

namespace bespoke::rt::onednn {

// Appends one eltwise primitive per step, each writing output 0 (all
// `element_count` values). With `first_reads_input` the first step reads
// input 0, otherwise every step reads output 0 (in place).
Status append_eltwise_steps(const KernelEnv& env, const std::vector<EltwiseStep>& steps, int64_t element_count,
                            bool first_reads_input, PrimitiveKernel* kernel);

}  // namespace bespoke::rt::onednn
