// What CONV_2D and CONV_TRANSPOSE_2D share up to their operation descriptor:
// the supports() checks and the memory descriptors and window arrays that
// dnnl_dilated_(de)convolution_forward_desc_init take. The two differ in the
// file's weight layout: [M, C/g, kH, kW] for a convolution, [C, M/g, kH, kW]
// for a transposed one (C input channels, M output channels, g groups).
#pragma once

#include <cstdint>

#include <oneapi/dnnl/dnnl.h>

#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"
#include "backends/onednn/window.h"
#include "core/window_params.h"
#include "schema/bespoke_generated.h"

namespace bespoke::rt::onednn {

// The options both operators have.
struct ConvParams {
  WindowParams window;
  int64_t groups = 1;
  const fb::FusedActivation* activation = nullptr;
  bool transposed = false;  // CONV_TRANSPOSE_2D: weights [C, M/g, kH, kW]

  // `Options`: Conv2DOptions or ConvTranspose2DOptions.
  template <typename Options>
  static ConvParams from(const Options& o, bool transposed) {
    return {WindowParams::from(o), o.groups(), o.activation(), transposed};
  }
};

// The supports() checks both operators make: one output, rank-4 input and
// output, a window oneDNN takes, groups dividing C and M, constant weights
// of the file's layout for those, bias absent or a constant [M], an exact
// activation. `op`'s options must be present.
bool conv_supported(const OperatorRef& op, const ConvParams& params);

struct ConvDescs {
  WeightedDescs memory;
  dnnl_memory_desc_t any_weights;  // format_tag_any, for oneDNN to choose
  bool has_bias = false;
  WindowDims window;

  const dnnl_memory_desc_t* bias() const { return has_bias ? &memory.bias : nullptr; }
};

// The descriptors of a supported (conv_supported) operator; the caller may
// adjust `window` (a deconvolution's padding_r) before the descriptor init.
Status conv_descs(const OperatorRef& op, const ConvParams& params, ConvDescs* descs);

}  // namespace bespoke::rt::onednn
