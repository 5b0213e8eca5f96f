// FULLY_CONNECTED as a oneDNN inner product: X [..., K] is row-major for
// every rank but 4, so its leading dims flatten into the M rows of a 2-D
// product without copying. A rank-4 X is stored NHWC, where the last
// logical dim is not innermost, so it is left to other backends.
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"

namespace bespoke::rt::onednn {

bool supports_fully_connected(const OperatorRef& op) {
  const fb::FullyConnectedOptions* options = op.info().op->options_as_FullyConnectedOptions();
  if (op.input_count() < 2 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank < 1 || x.rank == 4 || y.rank != x.rank) return false;
  const int64_t k = x.dim(x.rank - 1), n = y.dim(y.rank - 1);
  if (!weights_and_bias_supported(op, 2, n, options != nullptr ? options->activation() : nullptr)) return false;
  const TensorInfo& w = op.input(1);
  return w.dim(0) == n && w.dim(1) == k &&
         x.element_count / static_cast<size_t>(k) == y.element_count / static_cast<size_t>(n);
}

Status create_fully_connected(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::FullyConnectedOptions* options = op.info().op->options_as_FullyConnectedOptions();
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  const int64_t k = x.dim(x.rank - 1), n = y.dim(y.rank - 1);
  const int64_t rows = static_cast<int64_t>(x.element_count) / k;

  WeightedDescs descs;
  const dnnl_dims_t src_dims = {rows, k}, dst_dims = {rows, n}, weight_dims = {n, k};
  BSP_RETURN_IF_ERROR(tagged_desc(2, src_dims, dnnl_nc, &descs.src));
  BSP_RETURN_IF_ERROR(tagged_desc(2, dst_dims, dnnl_nc, &descs.dst));
  BSP_RETURN_IF_ERROR(tagged_desc(2, weight_dims, dnnl_oi, &descs.file_weights));
  BSP_RETURN_IF_ERROR(flat_desc(n, &descs.bias));
  dnnl_memory_desc_t any_weights;
  BSP_RETURN_IF_ERROR(tagged_desc(2, weight_dims, dnnl_format_tag_any, &any_weights));

  dnnl_inner_product_desc_t desc;
  BSP_DNNL_CHECK(dnnl_inner_product_forward_desc_init(&desc, dnnl_forward_inference, &descs.src, &any_weights,
                                                      op.has_input(2) ? &descs.bias : nullptr, &descs.dst));
  return create_weighted_kernel(op, env, &desc, descs, options != nullptr ? options->activation() : nullptr, kernel);
}

}  // namespace bespoke::rt::onednn
