// Sliding-window geometry shared by convolution, transposed convolution and
// pooling: the reference backend's checks of the window parameters
// (core/window_params.h), and the index ranges that keep a kernel tap inside
// the input so the inner loops need no bounds tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "backends/reference/kernel_base.h"
#include "core/window_params.h"

namespace bespoke::rt::reference {

// Kernel sizes, strides and dilations >= 1, pads >= 0 and all small enough
// that index arithmetic cannot overflow.
Status check_window(const OperatorRef& op, const WindowParams& window);

// The values o in [0, count) for which 0 <= o * stride + offset < limit (stride >= 1).
struct IndexRange {
  int64_t begin = 0, end = 0;
};
inline IndexRange valid_range(int64_t offset, int64_t stride, int64_t limit, int64_t count) {
  auto ceil_div = [](int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
  IndexRange r;
  r.begin = std::max<int64_t>(0, ceil_div(-offset, stride));           // o * stride + offset >= 0
  r.end = std::min<int64_t>(count, ceil_div(limit - offset, stride));  // o * stride + offset < limit
  if (r.end < r.begin) r.end = r.begin;
  return r;
}

// NCHW extents of a convolution or transposed convolution and, per kernel row
// and column, the positions along the iterated axis whose tap stays inside the
// other tensor: output positions for a convolution (it gathers), input
// positions for a transposed convolution (it scatters).
struct ConvGeometry {
  ConvGeometry(const OperatorRef& op, const WindowParams& window, bool transposed);

  int64_t batch = 0, in_channels = 0, in_h = 0, in_w = 0;
  int64_t out_channels = 0, out_h = 0, out_w = 0;
  std::vector<IndexRange> rows, cols;
};

}  // namespace bespoke::rt::reference
