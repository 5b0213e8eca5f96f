// CONCAT along a logical axis as a oneDNN concat primitive; sources and
// destination keep their storage layout (a channel concat of NHWC images
// writes strided slices of each pixel).
#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {

bool supports_concat(const OperatorRef& op) {
  const fb::ConcatOptions* options = op.info().op->options_as_ConcatOptions();
  if (options == nullptr || op.input_count() < 1 || op.output_count() != 1) return false;
  const TensorInfo& y = op.output(0);
  const int axis = options->axis();
  if (y.rank < 1 || axis < 0 || axis >= y.rank) return false;
  int64_t total = 0;
  for (size_t i = 0; i < op.input_count(); ++i) {
    if (!op.has_input(i)) return false;
    const TensorInfo& x = op.input(i);
    if (x.rank != y.rank) return false;
    for (int d = 0; d < y.rank; ++d)
      if (d != axis && x.dim(d) != y.dim(d)) return false;
    total += x.dim(axis);
  }
  return total == y.dim(axis);
}

Status create_concat(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const int axis = op.info().op->options_as_ConcatOptions()->axis();
  std::vector<dnnl_memory_desc_t> sources(op.input_count());
  for (size_t i = 0; i < sources.size(); ++i) BSP_RETURN_IF_ERROR(stored_desc(op.input(i), &sources[i]));
  dnnl_memory_desc_t dst;
  BSP_RETURN_IF_ERROR(stored_desc(op.output(0), &dst));
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes({}, &attr));
  dnnl_primitive_desc_t raw_pd = nullptr;
  BSP_DNNL_CHECK(dnnl_concat_primitive_desc_create(&raw_pd, &dst, static_cast<int>(sources.size()), axis,
                                                   sources.data(), attr.get(), env.context->engine()));
  PrimitiveDescPtr pd(raw_pd);

  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  int step = 0;
  BSP_RETURN_IF_ERROR(result->add_step(pd.get(), &step));
  for (size_t i = 0; i < sources.size(); ++i)
    BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), i, sources[i]));
  BSP_RETURN_IF_ERROR(result->bind_output(step, DNNL_ARG_DST, 0, dst));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
