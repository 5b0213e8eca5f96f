#include "backends/onednn/conv_descs.h"

#include "backends/onednn/memory_desc.h"

namespace bespoke::rt::onednn {
namespace {

// Weight descriptors over [(g,) M/g, C/g, kH, kW], oneDNN's (de)convolution
// weights: the file's layout and format_tag_any. The convolution's file
// layout [M, C/g, kH, kW] is oihw, or goihw once M is split into [g, M/g];
// the deconvolution's [C, M/g, kH, kW] is that with the two channel dims
// swapped: iohw / giohw.
Status weight_descs(const ConvParams& params, int64_t maps, int64_t channels, dnnl_memory_desc_t* file_weights,
                    dnnl_memory_desc_t* any_weights) {
  const int64_t groups = params.groups, kernel_h = params.window.kernel_h, kernel_w = params.window.kernel_w;
  if (groups == 1) {
    const dnnl_dims_t dims = {maps, channels, kernel_h, kernel_w};
    BSP_RETURN_IF_ERROR(tagged_desc(4, dims, params.transposed ? dnnl_iohw : dnnl_oihw, file_weights));
    return tagged_desc(4, dims, dnnl_format_tag_any, any_weights);
  }
  const dnnl_dims_t dims = {groups, maps / groups, channels / groups, kernel_h, kernel_w};
  BSP_RETURN_IF_ERROR(tagged_desc(5, dims, params.transposed ? dnnl_giohw : dnnl_goihw, file_weights));
  return tagged_desc(5, dims, dnnl_format_tag_any, any_weights);
}

}  // namespace

bool conv_supported(const OperatorRef& op, const ConvParams& params) {
  if (op.input_count() < 2 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || !window_supported(params.window)) return false;
  const int64_t groups = params.groups;
  const int64_t channels = x.dim(1), maps = y.dim(1);
  if (groups < 1 || channels % groups != 0 || maps % groups != 0) return false;
  if (!weights_and_bias_supported(op, 4, maps, params.activation)) return false;
  const TensorInfo& w = op.input(1);
  const int64_t outer = params.transposed ? channels : maps;
  const int64_t inner = params.transposed ? maps / groups : channels / groups;
  return w.dim(0) == outer && w.dim(1) == inner && w.dim(2) == params.window.kernel_h &&
         w.dim(3) == params.window.kernel_w;
}

Status conv_descs(const OperatorRef& op, const ConvParams& params, ConvDescs* descs) {
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  BSP_RETURN_IF_ERROR(stored_desc(x, &descs->memory.src));
  BSP_RETURN_IF_ERROR(stored_desc(y, &descs->memory.dst));
  BSP_RETURN_IF_ERROR(flat_desc(y.dim(1), &descs->memory.bias));
  BSP_RETURN_IF_ERROR(weight_descs(params, y.dim(1), x.dim(1), &descs->memory.file_weights, &descs->any_weights));
  descs->has_bias = op.has_input(2);
  descs->window = WindowDims(params.window);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
