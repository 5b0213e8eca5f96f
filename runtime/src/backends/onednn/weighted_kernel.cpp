#include "backends/onednn/weighted_kernel.h"

#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/eltwise_steps.h"

namespace bespoke::rt::onednn {
namespace {

// Appends a reorder step from `from` to `to` (memory objects already bound elsewhere).
Status add_reorder(PrimitiveKernel* kernel, const dnnl_memory_desc_t& from, const dnnl_memory_desc_t& to, int* step) {
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes({}, &attr));
  dnnl_primitive_desc_t raw_pd = nullptr;
  BSP_DNNL_CHECK(dnnl_reorder_primitive_desc_create(&raw_pd, &from, kernel->context().engine(), &to,
                                                    kernel->context().engine(), attr.get()));
  PrimitiveDescPtr pd(raw_pd);
  return kernel->add_step(pd.get(), step);
}

}  // namespace

Status create_weighted_kernel(const OperatorRef& op, const KernelEnv& env, const void* op_desc,
                              const WeightedDescs& descs, const fb::FusedActivation* activation,
                              std::unique_ptr<Kernel>* kernel, const void* blocked_op_desc,
                              bool activation_as_post_op) {
  std::vector<EltwiseStep> activation_steps;
  append_activation(activation, &activation_steps);
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes(activation_as_post_op ? activation_steps : std::vector<EltwiseStep>{}, &attr));

  PrimitiveDescPtr pd;
  bool blocked = false;
  if (blocked_op_desc != nullptr && create_primitive_desc(blocked_op_desc, attr.get(), *env.context, &pd).ok())
    blocked = dnnl_memory_desc_equal(queried_desc(pd.get(), dnnl_query_src_md), &descs.src) == 0;
  if (!blocked) BSP_RETURN_IF_ERROR(create_primitive_desc(op_desc, attr.get(), *env.context, &pd));

  MemoryPtr weights;
  const dnnl_memory_desc_t* chosen = queried_desc(pd.get(), dnnl_query_weights_md);
  BSP_RETURN_IF_ERROR(pack_constant(*env.context, descs.file_weights, op.input(1).constant, *chosen, &weights));

  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  dnnl_memory_t blocked_src = nullptr, blocked_dst = nullptr;
  const dnnl_memory_desc_t& src_desc = blocked ? *queried_desc(pd.get(), dnnl_query_src_md) : descs.src;
  const dnnl_memory_desc_t& dst_desc = blocked ? *queried_desc(pd.get(), dnnl_query_dst_md) : descs.dst;
  if (blocked) {
    BSP_RETURN_IF_ERROR(result->add_temporary(src_desc, &blocked_src));
    BSP_RETURN_IF_ERROR(result->add_temporary(dst_desc, &blocked_dst));
    int step = 0;
    BSP_RETURN_IF_ERROR(add_reorder(result.get(), descs.src, src_desc, &step));
    BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_FROM, 0, descs.src));
    result->bind_memory(step, DNNL_ARG_TO, blocked_src);
  }

  int step = 0;
  BSP_RETURN_IF_ERROR(result->add_step(pd.get(), &step));
  if (blocked) {
    result->bind_memory(step, DNNL_ARG_SRC, blocked_src);
  } else {
    BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SRC, 0, descs.src));
  }
  result->bind_owned(step, DNNL_ARG_WEIGHTS, std::move(weights));
  if (op.has_input(2))
    BSP_RETURN_IF_ERROR(result->bind_constant(step, DNNL_ARG_BIAS, descs.bias, op.input(2).constant));
  if (blocked) {
    result->bind_memory(step, DNNL_ARG_DST, blocked_dst);
    BSP_RETURN_IF_ERROR(add_reorder(result.get(), dst_desc, descs.dst, &step));
    result->bind_memory(step, DNNL_ARG_FROM, blocked_dst);
  }
  BSP_RETURN_IF_ERROR(result->bind_output(step, blocked ? DNNL_ARG_TO : DNNL_ARG_DST, 0, descs.dst));
  if (!activation_as_post_op) {
    BSP_RETURN_IF_ERROR(append_eltwise_steps(env, activation_steps, static_cast<int64_t>(op.output(0).element_count),
                                             /*first_reads_input=*/false, result.get()));
  }
  *kernel = std::move(result);
  return Status::Ok();
}

bool weights_and_bias_supported(const OperatorRef& op, int weight_rank, int64_t bias_length,
                                const fb::FusedActivation* activation) {
  if (!op.has_input(1) || !op.input(1).is_constant() || op.input(1).rank != weight_rank) return false;
  if (op.has_input(2)) {
    const TensorInfo& bias = op.input(2);
    if (!bias.is_constant() || bias.rank != 1 || bias.dim(0) != bias_length) return false;
  }
  return activation_supported(activation);
}

}  // namespace bespoke::rt::onednn
