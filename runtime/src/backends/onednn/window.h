// Sliding-window parameters shared by CONV_2D, CONV_TRANSPOSE_2D and the 2-D
// pooling operators, and their translation to oneDNN's conventions (spatial
// arrays [h, w]; dilation counted from 0, i.e. oneDNN dilation = schema
// dilation - 1; asymmetric padding as padding_l / padding_r).
#pragma once

#include <cstdint>

#include <oneapi/dnnl/dnnl.h>

namespace bespoke::rt::onednn {

struct Window {
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

  template <typename Options>
  static Window from(const Options& o) {
    Window w;
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

  // Sizes, strides and dilations >= 1, pads >= 0, everything below 2^24 so
  // no index arithmetic can overflow (the verifier checks this too).
  bool valid() const {
    constexpr int64_t kLimit = int64_t{1} << 24;
    auto positive = [](int64_t v) { return v >= 1 && v < kLimit; };
    auto non_negative = [](int64_t v) { return v >= 0 && v < kLimit; };
    return positive(kernel_h) && positive(kernel_w) && positive(stride_h) && positive(stride_w) &&
           positive(dilation_h) && positive(dilation_w) && non_negative(pad_top) && non_negative(pad_left) &&
           non_negative(pad_bottom) && non_negative(pad_right);
  }

  void strides(dnnl_dims_t out) const {
    out[0] = stride_h;
    out[1] = stride_w;
  }
  void kernel(dnnl_dims_t out) const {
    out[0] = kernel_h;
    out[1] = kernel_w;
  }
  void dilates(dnnl_dims_t out) const {
    out[0] = dilation_h - 1;
    out[1] = dilation_w - 1;
  }
  void padding_l(dnnl_dims_t out) const {
    out[0] = pad_top;
    out[1] = pad_left;
  }
  void padding_r(dnnl_dims_t out) const {
    out[0] = pad_bottom;
    out[1] = pad_right;
  }
};

}  // namespace bespoke::rt::onednn
