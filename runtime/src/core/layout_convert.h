// Layout conversion of rank-4 float tensors between NCHW (logical order) and
// NHWC (the order of the XNNPACK and oneDNN backends). Used by the session
// for converted copies of activations, constants and graph outputs.
#pragma once

#include <cstdint>

#include "backends/backend.h"

namespace bespoke::rt {

struct Dims4 {
  int64_t n, c, h, w;
};

// Copies `src` (in layout `from`) to `dst` (in layout `to`). Shapes are given
// logically ([N, C, H, W]). Parallel over the pool when one is given. No allocation.
void convert_layout(const float* src, Layout from, float* dst, Layout to, const Dims4& dims, pthreadpool_t threadpool);

}  // namespace bespoke::rt
