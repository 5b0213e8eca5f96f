#include "backends/onednn/pooling.h"

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"

namespace bespoke::rt::onednn {

bool every_window_reaches_input(int64_t input, int64_t output, int64_t kernel, int64_t stride, int64_t dilation,
                                int64_t pad_begin) {
  for (int64_t o = 0; o < output; ++o) {
    const int64_t start = o * stride - pad_begin;
    // First tap at or after index 0, then whether it is a tap of this window inside the input.
    const int64_t first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    if (first >= kernel || start + first * dilation >= input) return false;
  }
  return true;
}

Status create_pooling_kernel(const OperatorRef& op, const KernelEnv& env, dnnl_alg_kind_t algorithm,
                             const WindowParams& window, const dnnl_memory_desc_t& dst,
                             std::unique_ptr<Kernel>* kernel) {
  dnnl_memory_desc_t src;
  BSP_RETURN_IF_ERROR(stored_desc(op.input(0), &src));
  const WindowDims dims(window);
  // Forward inference: max pooling keeps no workspace of argmax indices.
  dnnl_pooling_v2_desc_t desc;
  BSP_DNNL_CHECK(dnnl_pooling_v2_forward_desc_init(&desc, dnnl_forward_inference, algorithm, &src, &dst, dims.strides,
                                                   dims.kernel, dims.dilates, dims.padding_l, dims.padding_r));
  return create_single_primitive_kernel(op, env, &desc, {}, src, dst, kernel);
}

Status create_global_average_kernel(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = op.input(0);
  WindowParams window;
  window.kernel_h = x.dim(2);
  window.kernel_w = x.dim(3);
  // Described with NHWC strides whatever the output's rank, so the JIT pooling recognises the layout.
  const dnnl_dims_t dims = {x.dim(0), x.dim(1), 1, 1};
  dnnl_memory_desc_t dst;
  BSP_RETURN_IF_ERROR(tagged_desc(4, dims, dnnl_nhwc, &dst));
  // No padding: including or excluding it gives the same divisor.
  return create_pooling_kernel(op, env, dnnl_pooling_avg_exclude_padding, window, dst, kernel);
}

}  // namespace bespoke::rt::onednn
