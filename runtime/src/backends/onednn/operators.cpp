#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {

std::unique_ptr<PrimitiveKernel> new_kernel(const OperatorRef& op, const KernelEnv& env) {
  return std::make_unique<PrimitiveKernel>(env.context, env.num_threads, op.describe());
}

Status create_single_primitive_kernel(const OperatorRef& op, const KernelEnv& env, const void* op_desc,
                                      const std::vector<EltwiseStep>& post_ops, const dnnl_memory_desc_t& src,
                                      const dnnl_memory_desc_t& dst, std::unique_ptr<Kernel>* kernel) {
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes(post_ops, &attr));
  PrimitiveDescPtr pd;
  BSP_RETURN_IF_ERROR(create_primitive_desc(op_desc, attr.get(), *env.context, &pd));
  return create_single_primitive_kernel(op, env, pd.get(), src, dst, kernel);
}

Status create_single_primitive_kernel(const OperatorRef& op, const KernelEnv& env, const_dnnl_primitive_desc_t pd,
                                      const dnnl_memory_desc_t& src, const dnnl_memory_desc_t& dst,
                                      std::unique_ptr<Kernel>* kernel) {
  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  int step = 0;
  BSP_RETURN_IF_ERROR(result->add_step(pd, &step));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SRC, 0, src));
  BSP_RETURN_IF_ERROR(result->bind_output(step, DNNL_ARG_DST, 0, dst));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
