// What CONV_2D and CONV_TRANSPOSE_2D share: the operand checks, the window
// parameters in the form XNNPACK's create calls take them, the input extent
// its setup calls take, the optional bias, and the weight repacking (in both
// operators a batch of matrix transposes of the file's weights).
#pragma once

#include <cstddef>
#include <cstdint>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

// FLOAT32 operands, rank-4 input, weights and output, constant weights and,
// when present, a constant bias (XNNPACK packs both at create time).
bool conv_operands_supported(const OperatorRef& op);

// The constant bias (input 2), or nullptr when the operator has none.
const float* conv_bias(const OperatorRef& op);

// Batch, height and width of an NCHW input, as xnn_setup_* takes them.
struct ConvInputExtent {
  size_t batch, height, width;
};
ConvInputExtent conv_input_extent(const TensorInfo& input);

// Padding, kernel, stride and dilation in xnn_create_(de)convolution2d's order.
struct ConvWindow {
  uint32_t pad_top, pad_right, pad_bottom, pad_left;
  uint32_t kernel_h, kernel_w;
  uint32_t stride_h, stride_w;
  uint32_t dilation_h, dilation_w;
};

// Conv2DOptions and ConvTranspose2DOptions name these fields alike; the
// supports() checks have already rejected negative values.
template <class Options>
ConvWindow conv_window(const Options& o) {
  auto u32 = [](int value) { return static_cast<uint32_t>(value); };
  return {u32(o.pad_top()),  u32(o.pad_right()), u32(o.pad_bottom()), u32(o.pad_left()),   u32(o.kernel_h()),
          u32(o.kernel_w()), u32(o.stride_h()),  u32(o.stride_w()),   u32(o.dilation_h()), u32(o.dilation_w())};
}

// The constant `weights` read as `batches` row-major [rows][cols] matrices
// and packed as their transposes [cols][rows], one after the other.
FloatBuffer pack_transposed_weights(const TensorInfo& weights, size_t batches, size_t rows, size_t cols);

}  // namespace bespoke::rt::xnnpack
