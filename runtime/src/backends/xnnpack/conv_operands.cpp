#include "backends/xnnpack/conv_operands.h"

namespace bespoke::rt::xnnpack {

bool conv_operands_supported(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.size() < 2) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || w.rank != 4 || y.rank != 4 || !w.is_constant()) return false;
  return !op.has_input(2) || op.input(2).is_constant();
}

const float* conv_bias(const OperatorRef& op) {
  return op.has_input(2) ? static_cast<const float*>(op.input(2).constant) : nullptr;
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
