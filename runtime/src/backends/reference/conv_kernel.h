// What the CONV_2D and CONV_TRANSPOSE_2D kernels share: their options
// (window, groups, fused activation), their geometry, one task per output
// plane (n, m) that starts from the bias and ends with the activation, and
// the operand checks both operators make. Only the accumulation of a plane
// differs: a convolution gathers, a transposed convolution scatters.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "backends/reference/activation.h"
#include "backends/reference/kernel_base.h"
#include "backends/reference/parallel.h"
#include "backends/reference/window.h"

namespace bespoke::rt::reference {

// `Derived` provides, publicly,
//   void accumulate_plane(int64_t n, int64_t m, float* out) const;
// adding the contribution of every input channel of the group of output
// channel `m` of image `n` to `out`, that plane (already holding the bias).
// CRTP rather than a virtual accumulate_plane: measured on a detection model
// (GCC, -O3), the out-of-line version ran CONV_2D ~18% slower (and
// CONV_TRANSPOSE_2D ~25% faster); this keeps the code the compiler generated
// before the two kernels shared this class.
template <typename Derived>
class ConvKernelBase : public ReferenceKernel {
 public:
  Status run() final {
    parallel_for(threadpool(), static_cast<size_t>(g_.batch * g_.out_channels),
                 [this](size_t task) { compute_plane(static_cast<int64_t>(task)); });
    return Status::Ok();
  }

 protected:
  // `Options`: Conv2DOptions or ConvTranspose2DOptions.
  template <typename Options>
  ConvKernelBase(const OperatorRef& op, const Options& options, bool transposed)
      : ReferenceKernel(op),
        window_(WindowParams::from(options)),
        groups_(options.groups()),
        g_(op, window_, transposed),
        group_in_(g_.in_channels / groups_),
        group_out_(g_.out_channels / groups_),
        activation_(options.activation()) {}

  const WindowParams window_;
  const int64_t groups_;
  const ConvGeometry g_;
  const int64_t group_in_, group_out_;  // channels per group

 private:
  void compute_plane(int64_t task) const {
    const int64_t n = task / g_.out_channels, m = task % g_.out_channels;
    float* out = output(0) + task * g_.out_h * g_.out_w;
    const float* bias = input(2);
    std::fill(out, out + g_.out_h * g_.out_w, bias != nullptr ? bias[m] : 0.0f);
    static_cast<const Derived*>(this)->accumulate_plane(n, m, out);
    activation_.apply(out, static_cast<size_t>(g_.out_h * g_.out_w));
  }

  const FusedActivation activation_;
};

// The first checks of both operators: window limits, a known activation.
Status check_conv_options(const OperatorRef& op, const WindowParams& window, const fb::FusedActivation* activation);
// Input and weight of rank 4, `groups` >= 1 dividing the input channels.
Status check_conv_operands(const OperatorRef& op, int64_t groups);
// The last checks: bias [maps] if present, output [N, maps, oh, ow];
// `empty_output` is the message for oh or ow < 1.
Status check_conv_output(const OperatorRef& op, int64_t maps, int64_t oh, int64_t ow, const char* empty_output);

}  // namespace bespoke::rt::reference
