#include "backends/xnnpack/conv_operands.h"

namespace bespoke::rt::xnnpack {

bool conv_operands_supported(const OpContext& ctx) {
  if (!all_float32(ctx) || ctx.info.inputs.size() < 2) return false;
  const TensorInfo& x = ctx.input(0);
  const TensorInfo& w = ctx.input(1);
  const TensorInfo& y = ctx.output(0);
  if (x.rank != 4 || w.rank != 4 || y.rank != 4 || !w.is_constant()) return false;
  return !ctx.has_input(2) || ctx.input(2).is_constant();
}

const float* conv_bias(const OpContext& ctx) {
  return ctx.has_input(2) ? static_cast<const float*>(ctx.input(2).constant) : nullptr;
}

ConvInputExtent conv_input_extent(const TensorInfo& input) {
  return {static_cast<size_t>(input.dim(0)), static_cast<size_t>(input.dim(2)), static_cast<size_t>(input.dim(3))};
}

FloatBuffer pack_transposed_weights(const TensorInfo& weights, size_t batches, size_t rows, size_t cols) {
  const auto* src = static_cast<const float*>(weights.constant);
  FloatBuffer packed(weights.element_count);
  float* dst = packed.data();
  const size_t matrix = rows * cols;
  for (size_t b = 0; b < batches; ++b) {
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols; ++c) dst[b * matrix + c * rows + r] = src[b * matrix + r * cols + c];
    }
  }
  return packed;
}

}  // namespace bespoke::rt::xnnpack
