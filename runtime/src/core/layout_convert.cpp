#include "core/layout_convert.h"

#include <pthreadpool.h>
#include <cstring>

namespace bespoke::rt {
namespace {

struct ConvertTask {
  const float* src;
  float* dst;
  size_t c, h, w;
};

// One (n, h) row: NCHW src -> NHWC dst. Reads are contiguous along w per
// channel; writes stride by C, which stays in cache for one row.
void nchw_to_nhwc_row(void* context, size_t row) {
  const auto& t = *static_cast<const ConvertTask*>(context);
  const size_t n = row / t.h, y = row % t.h;
  float* out = t.dst + row * t.w * t.c;
  for (size_t ch = 0; ch < t.c; ++ch) {
    const float* in = t.src + ((n * t.c + ch) * t.h + y) * t.w;
    for (size_t x = 0; x < t.w; ++x) out[x * t.c + ch] = in[x];
  }
}

void nhwc_to_nchw_row(void* context, size_t row) {
  const auto& t = *static_cast<const ConvertTask*>(context);
  const size_t n = row / t.h, y = row % t.h;
  const float* in = t.src + row * t.w * t.c;
  for (size_t ch = 0; ch < t.c; ++ch) {
    float* out = t.dst + ((n * t.c + ch) * t.h + y) * t.w;
    for (size_t x = 0; x < t.w; ++x) out[x] = in[x * t.c + ch];
  }
}

}  // namespace

void convert_layout(const float* src, Layout from, float* dst, Layout to, const Dims4& dims, pthreadpool_t threadpool) {
  const auto n = static_cast<size_t>(dims.n), c = static_cast<size_t>(dims.c);
  const auto h = static_cast<size_t>(dims.h), w = static_cast<size_t>(dims.w);
  // Same layout, or a shape whose two layouts coincide: a plain copy.
  if (from == to || c == 1 || h * w == 1) {
    std::memcpy(dst, src, n * c * h * w * sizeof(float));
    return;
  }
  ConvertTask task{src, dst, c, h, w};
  pthreadpool_parallelize_1d(threadpool, from == Layout::kNCHW ? nchw_to_nhwc_row : nhwc_to_nchw_row, &task, n * h, 0);
}

}  // namespace bespoke::rt
