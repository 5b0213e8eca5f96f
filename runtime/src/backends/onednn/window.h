// The oneDNN backend's view of the sliding-window parameters
// (core/window_params.h) of CONV_2D, CONV_TRANSPOSE_2D and the 2-D pooling
// operators: the limits it accepts and their translation to oneDNN's
// conventions (spatial arrays [h, w]; dilation counted from 0, i.e. oneDNN
// dilation = schema dilation - 1; asymmetric padding as padding_l / padding_r).
#pragma once

#include <cstdint>

#include <oneapi/dnnl/dnnl.h>

#include "core/window_params.h"

namespace bespoke::rt::onednn {

// Sizes, strides and dilations >= 1, pads >= 0, everything below 2^24 so
// no index arithmetic can overflow (the verifier checks this too).
inline bool window_supported(const WindowParams& w) {
  constexpr int64_t kLimit = int64_t{1} << 24;
  auto positive = [](int64_t v) { return v >= 1 && v < kLimit; };
  auto non_negative = [](int64_t v) { return v >= 0 && v < kLimit; };
  return positive(w.kernel_h) && positive(w.kernel_w) && positive(w.stride_h) && positive(w.stride_w) &&
         positive(w.dilation_h) && positive(w.dilation_w) && non_negative(w.pad_top) && non_negative(w.pad_left) &&
         non_negative(w.pad_bottom) && non_negative(w.pad_right);
}

// The window as the dims arrays oneDNN's convolution, deconvolution and
// pooling descriptors take (by default those of a 1x1 window).
struct WindowDims {
  WindowDims() : WindowDims(WindowParams()) {}
  explicit WindowDims(const WindowParams& w)
      : kernel{w.kernel_h, w.kernel_w},
        strides{w.stride_h, w.stride_w},
        dilates{w.dilation_h - 1, w.dilation_w - 1},
        padding_l{w.pad_top, w.pad_left},
        padding_r{w.pad_bottom, w.pad_right} {}

  dnnl_dims_t kernel, strides, dilates, padding_l, padding_r;
};

}  // namespace bespoke::rt::onednn
