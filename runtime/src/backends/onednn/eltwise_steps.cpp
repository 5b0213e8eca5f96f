#include "backends/onednn/eltwise_steps.h"

#include "backends/onednn/memory_desc.h"

namespace bespoke::rt::onednn {

Status append_eltwise_steps(const KernelEnv& env, const std::vector<EltwiseStep>& steps, int64_t element_count,
                            bool first_reads_input, PrimitiveKernel* kernel) {
  dnnl_memory_desc_t data;
  BSP_RETURN_IF_ERROR(flat_desc(element_count, &data));
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes({}, &attr));
  for (size_t i = 0; i < steps.size(); ++i) {
    dnnl_eltwise_desc_t desc;
    BSP_DNNL_CHECK(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, steps[i].algorithm, &data,
                                                  steps[i].alpha, steps[i].beta));
    PrimitiveDescPtr pd;
    BSP_RETURN_IF_ERROR(create_primitive_desc(&desc, attr.get(), *env.context, &pd));
    int step = 0;
    BSP_RETURN_IF_ERROR(kernel->add_step(pd.get(), &step));
    if (i == 0 && first_reads_input) {
      BSP_RETURN_IF_ERROR(kernel->bind_input(step, DNNL_ARG_SRC, 0, data));
    } else {
      BSP_RETURN_IF_ERROR(kernel->bind_output(step, DNNL_ARG_SRC, 0, data));
    }
    BSP_RETURN_IF_ERROR(kernel->bind_output(step, DNNL_ARG_DST, 0, data));
  }
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
