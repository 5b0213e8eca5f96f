// BATCH_NORM (inference) as oneDNN batch normalization with global
// statistics: y = scale * (x - mean) / sqrt(var + epsilon) + bias, channel
// = logical dim 1 for ranks 2..5 (oneDNN's range); the four [C] vectors are
// read from the operator's inputs.
#include <cmath>

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {

bool supports_batch_norm(const OperatorRef& op) {
  const fb::BatchNormOptions* options = op.info().op->options_as_BatchNormOptions();
  if (op.input_count() != 5 || op.output_count() != 1) return false;
  for (size_t i = 0; i < 5; ++i)
    if (!op.has_input(i)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank < 2 || x.rank > 5 || y.rank != x.rank || y.element_count != x.element_count) return false;
  for (size_t i = 1; i < 5; ++i)
    if (op.input(i).rank != 1 || op.input(i).dim(0) != x.dim(1)) return false;
  const float epsilon = options != nullptr ? options->epsilon() : 1e-5f;
  return std::isfinite(epsilon) && epsilon >= 0.0f;
}

Status create_batch_norm(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::BatchNormOptions* options = op.info().op->options_as_BatchNormOptions();
  const float epsilon = options != nullptr ? options->epsilon() : 1e-5f;
  dnnl_memory_desc_t data, vector;
  BSP_RETURN_IF_ERROR(stored_desc(op.input(0), &data));
  BSP_RETURN_IF_ERROR(flat_desc(op.input(0).dim(1), &vector));
  dnnl_batch_normalization_desc_t desc;
  BSP_DNNL_CHECK(dnnl_batch_normalization_forward_desc_init(&desc, dnnl_forward_inference, &data, epsilon,
                                                            dnnl_use_global_stats | dnnl_use_scale | dnnl_use_shift));
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes({}, &attr));
  PrimitiveDescPtr pd;
  BSP_RETURN_IF_ERROR(create_primitive_desc(&desc, attr.get(), *env.context, &pd));

  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  int step = 0;
  BSP_RETURN_IF_ERROR(result->add_step(pd.get(), &step));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SRC, 0, data));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SCALE, 1, vector));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SHIFT, 2, vector));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_MEAN, 3, vector));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_VARIANCE, 4, vector));
  BSP_RETURN_IF_ERROR(result->bind_output(step, DNNL_ARG_DST, 0, data));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
