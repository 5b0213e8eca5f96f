// The sliding-window parameters common to Conv2DOptions,
// ConvTranspose2DOptions and Pool2DOptions, as every backend reads them: one
// struct, filled from any of those tables, plus the output extent of a
// convolution or pooling window. Each backend adds its own limits (what its
// index arithmetic or library accepts) and translations on top.
#pragma once

#include <cstdint>

namespace bespoke::rt {

struct WindowParams {
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  // Works for every options table that has the window fields.
  template <typename Options>
  static WindowParams from(const Options& o) {
    WindowParams w;
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

  // Output size of a convolution or pooling window along one dim (0 when the
  // window does not fit the padded input).
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

}  // namespace bespoke::rt
