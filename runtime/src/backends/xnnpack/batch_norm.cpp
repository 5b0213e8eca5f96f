// BATCH_NORM (inference): y = (x - mean) * (scale / sqrt(var + eps)) + bias,
// per channel. XNNPACK has no such operator; three broadcasting binary
// operators run in place on the output: subtract the mean, multiply by the
// folded per-channel factor, add the bias. Subtracting the mean first keeps
// the result accurate when |mean| is large compared with the spread of x
// (folding everything into x * a + b would not).
#include <cmath>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

bool supports_batch_norm(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_BatchNormOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.size() != 5 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank < 2 || x.rank > XNN_MAX_TENSOR_DIMS || y.rank != x.rank || y.element_count != x.element_count) {
    return false;
  }
  for (size_t i = 1; i < 5; ++i) {
    if (!op.has_input(i)) return false;
    const TensorInfo& parameter = op.input(i);
    if (!parameter.is_constant() || parameter.rank != 1 || parameter.dim(0) != x.dim(1)) return false;
  }
  return true;
}

Status create_batch_norm(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const float epsilon = op.info().op->options_as_BatchNormOptions()->epsilon();
  const TensorInfo& x = op.input(0);
  const size_t channels = static_cast<size_t>(x.dim(1));
  const auto* scale = static_cast<const float*>(op.input(1).constant);
  const auto* bias = static_cast<const float*>(op.input(2).constant);
  const auto* mean = static_cast<const float*>(op.input(3).constant);
  const auto* variance = static_cast<const float*>(op.input(4).constant);
  FloatBuffer shifts(channels), factors(channels), offsets(channels);
  for (size_t c = 0; c < channels; ++c) {
    shifts.data()[c] = mean[c];
    factors.data()[c] = scale[c] / std::sqrt(variance[c] + epsilon);
    offsets.data()[c] = bias[c];
  }
  const Shape data_shape = memory_shape(x);
  // Per-channel operand, right-aligned against the data: [C] when channels
  // are innermost (NHWC, or rank 2), else [C, 1, ..., 1].
  Shape channel_shape;
  channel_shape.rank = x.rank == 4 ? 1 : x.rank - 1;
  channel_shape.dims.fill(1);
  channel_shape[0] = channels;

  auto result = make_kernel(
      op, exec,
      [=, shifts = std::move(shifts), factors = std::move(factors), offsets = std::move(offsets)](
          XnnKernel& k, const void* const* in, void* const* out) {
        const auto rank = static_cast<size_t>(data_shape.rank);
        const auto channel_rank = static_cast<size_t>(channel_shape.rank);
        const size_t* data_dims = data_shape.dims.data();
        const size_t* channel_dims = channel_shape.dims.data();
        float* y = as_floats(out[0]);
        BSP_RETURN_IF_ERROR(k.check("xnn_setup_subtract_nd_f32",
                                    xnn_setup_subtract_nd_f32(k.op(0), rank, data_dims, channel_rank, channel_dims,
                                                              as_floats(in[0]), shifts.data(), y, k.threadpool())));
        BSP_RETURN_IF_ERROR(k.check("xnn_setup_multiply_nd_f32",
                                    xnn_setup_multiply_nd_f32(k.op(1), rank, data_dims, channel_rank, channel_dims, y,
                                                              factors.data(), y, k.threadpool())));
        return k.check("xnn_setup_add_nd_f32",
                       xnn_setup_add_nd_f32(k.op(2), rank, data_dims, channel_rank, channel_dims, y, offsets.data(), y,
                                            k.threadpool()));
      });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_subtract_nd_f32", [&](xnn_operator_t* created) {
    return xnn_create_subtract_nd_f32(-kInfinity, kInfinity, 0, created);
  }));
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_multiply_nd_f32", [&](xnn_operator_t* created) {
    return xnn_create_multiply_nd_f32(-kInfinity, kInfinity, 0, created);
  }));
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_add_nd_f32", [&](xnn_operator_t* created) {
    return xnn_create_add_nd_f32(-kInfinity, kInfinity, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
