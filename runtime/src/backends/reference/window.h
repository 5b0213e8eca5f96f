// Sliding-window geometry shared by convolution, transposed convolution and
// pooling: the parameters common to Conv2DOptions, ConvTranspose2DOptions and
// Pool2DOptions, their checks, and the index ranges that keep a kernel tap
// inside the input so the inner loops need no bounds tests.
#pragma once

#include <algorithm>
#include <vector>
#include <cstdint>

#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

struct Window2D {
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  // Works for every options table that has the window fields.
  template <typename Options>
  static Window2D from(const Options& o) {
    Window2D w;
    w.kernel_h = o.kernel_h();
    w.kernel_w = o.kernel_w();
    w.stride_h = o.stride_h();
    w.stride_w = o.stride_w();
    w.dilation_h = o.dilation_h();
    w.dilation_w = o.dilation_w();
    w.pad_top = o.pad_top();
    w.pad_left = o.pad_left();
    w.pad_bottom = o.pad_bottom();
    w.pad_right = o.pad_right();
    return w;
  }

  // Output size of a convolution or pooling window along one dim (may be <= 0 when the window does not fit).
  static int64_t output_size(int64_t input, int64_t pad_begin, int64_t pad_end, int64_t dilation, int64_t kernel,
                             int64_t stride) {
    const int64_t span = input + pad_begin + pad_end - dilation * (kernel - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
  }
  int64_t output_h(int64_t input_h) const {
    return output_size(input_h, pad_top, pad_bottom, dilation_h, kernel_h, stride_h);
  }
  int64_t output_w(int64_t input_w) const {
    return output_size(input_w, pad_left, pad_right, dilation_w, kernel_w, stride_w);
  }
};

// Kernel sizes, strides and dilations >= 1, pads >= 0 and all small enough
// that index arithmetic cannot overflow.
Status check_window(const KernelArgs& args, const Window2D& window);

// The values o in [0, count) for which 0 <= o * stride + offset < limit (stride >= 1).
struct IndexRange {
  int64_t begin = 0, end = 0;
};
inline IndexRange valid_range(int64_t offset, int64_t stride, int64_t limit, int64_t count) {
  auto ceil_div = [](int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
  IndexRange r;
  r.begin = std::max<int64_t>(0, ceil_div(-offset, stride));        // o * stride + offset >= 0
  r.end = std::min<int64_t>(count, ceil_div(limit - offset, stride));  // o * stride + offset < limit
  if (r.end < r.begin) r.end = r.begin;
  return r;
}

// NCHW extents of a convolution or transposed convolution and, per kernel row
// and column, the positions along the iterated axis whose tap stays inside the
// other tensor: output positions for a convolution (it gathers), input
// positions for a transposed convolution (it scatters).
struct ConvGeometry {
  ConvGeometry(const KernelArgs& args, const Window2D& window, bool transposed);

  int64_t batch = 0, in_channels = 0, in_h = 0, in_w = 0;
  int64_t out_channels = 0, out_h = 0, out_w = 0;
  std::vector<IndexRange> rows, cols;
};

}  // namespace bespoke::rt::reference
