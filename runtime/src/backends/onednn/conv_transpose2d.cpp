// CONV_TRANSPOSE_2D as a oneDNN deconvolution. The schema's output size
//   OH = stride*(H-1) + output_padding + dilation*(kH-1) + 1 - pad_top - pad_bottom
// is oneDNN's with padding_r = pad_bottom - output_padding (which may be
// negative: the extra rows at the end then receive contributions like any
// other row, exactly as the transposed-convolution sum defines them).
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"
#include "backends/onednn/window.h"

namespace bespoke::rt::onednn {
namespace {

const fb::ConvTranspose2DOptions* options_of(const OpRef& op) {
  return op.op().op->options_as_ConvTranspose2DOptions();
}

}  // namespace

bool supports_conv_transpose2d(const OpRef& op) {
  const fb::ConvTranspose2DOptions* options = options_of(op);
  if (options == nullptr || op.input_count() < 2 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || !Window::from(*options).valid()) return false;
  if (options->output_padding_h() < 0 || options->output_padding_w() < 0) return false;
  const int64_t groups = options->groups();
  const int64_t channels = x.dim(1), maps = y.dim(1);
  if (groups < 1 || channels % groups != 0 || maps % groups != 0) return false;
  if (!weights_and_bias_supported(op, 4, maps, options->activation())) return false;
  const TensorInfo& w = op.input(1);
  return w.dim(0) == channels && w.dim(1) == maps / groups && w.dim(2) == options->kernel_h() &&
         w.dim(3) == options->kernel_w();
}

Status create_conv_transpose2d(const OpRef& op, const KernelEnv& env, KernelOut kernel) {
  const fb::ConvTranspose2DOptions& options = *options_of(op);
  const Window window = Window::from(options);
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  const int64_t groups = options.groups();
  const int64_t channels = x.dim(1), maps = y.dim(1);

  WeightedDescs descs;
  BSP_RETURN_IF_ERROR(stored_desc(x, &descs.src));
  BSP_RETURN_IF_ERROR(stored_desc(y, &descs.dst));
  BSP_RETURN_IF_ERROR(flat_desc(maps, &descs.bias));
  // oneDNN's deconvolution weights are [(g,) M/g, C/g, kH, kW]; the file's
  // [C, M/g, kH, kW] is that with the two channel dims swapped: iohw / giohw.
  dnnl_memory_desc_t any_weights;
  BSP_RETURN_IF_ERROR(spatial_weight_descs(groups, maps, channels, window.kernel_h, window.kernel_w, dnnl_iohw,
                                           dnnl_giohw, &descs.file_weights, &any_weights));

  dnnl_dims_t strides, dilates, padding_l, padding_r;
  window.strides(strides);
  window.dilates(dilates);
  window.padding_l(padding_l);
  padding_r[0] = window.pad_bottom - options.output_padding_h();
  padding_r[1] = window.pad_right - options.output_padding_w();
  dnnl_deconvolution_desc_t desc;
  BSP_DNNL_CHECK(dnnl_dilated_deconvolution_forward_desc_init(
      &desc, dnnl_forward_inference, dnnl_deconvolution_direct, &descs.src, &any_weights,
      op.has_input(2) ? &descs.bias : nullptr, &descs.dst, strides, dilates, padding_l, padding_r));
  return create_weighted_kernel(op, env, &desc, descs, options.activation(), kernel);
}

}  // namespace bespoke::rt::onednn
