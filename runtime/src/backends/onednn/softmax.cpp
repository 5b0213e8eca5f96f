// SOFTMAX (ONNX opset 13: over one axis) as a oneDNN softmax. The memory
// descriptor lists logical dims with the storage strides, so the logical
// axis works unchanged for NHWC images.
#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {

bool supports_softmax(const OperatorRef& op) {
  const fb::SoftmaxOptions* options = op.info().op->options_as_SoftmaxOptions();
  if (options == nullptr || op.input_count() != 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank < 1 || y.rank != x.rank || options->axis() < 0 || options->axis() >= x.rank) return false;
  for (int i = 0; i < x.rank; ++i)
    if (x.dim(i) != y.dim(i)) return false;
  return true;
}

Status create_softmax(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const int axis = op.info().op->options_as_SoftmaxOptions()->axis();
  dnnl_memory_desc_t data;
  BSP_RETURN_IF_ERROR(stored_desc(op.input(0), &data));
  dnnl_softmax_desc_t desc;
  BSP_DNNL_CHECK(dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &data, axis));
  return create_single_primitive_kernel(op, env, &desc, {}, data, data, kernel);
}

}  // namespace bespoke::rt::onednn
