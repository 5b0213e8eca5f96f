// CONV_TRANSPOSE_2D as a oneDNN deconvolution. The schema's output size
//   OH = stride*(H-1) + output_padding + dilation*(kH-1) + 1 - pad_top - pad_bottom
// is oneDNN's with padding_r = pad_bottom - output_padding (which may be
// negative: the extra rows at the end then receive contributions like any
// other row, exactly as the transposed-convolution sum defines them).
//
// The fused activation runs as a separate in-place eltwise step: oneDNN 2.6's
// deconvolution with an eltwise post-op measured ~10x slower than without
// (PP-OCRv4 detector, 24->24 channels, 80x80 -> 160x160, k2 s2, AVX-512:
// 13.3 ms with a ReLU post-op, 1.2 ms for the same layer at 4x the area
// without), while the extra pass over the output costs well under 0.1 ms.
#include "backends/onednn/conv_descs.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"

namespace bespoke::rt::onednn {
namespace {

const fb::ConvTranspose2DOptions* options_of(const OperatorRef& op) {
  return op.info().op->options_as_ConvTranspose2DOptions();
}

ConvParams params_of(const fb::ConvTranspose2DOptions& options) {
  return ConvParams::from(options, /*transposed=*/true);
}

}  // namespace

bool supports_conv_transpose2d(const OperatorRef& op) {
  const fb::ConvTranspose2DOptions* options = options_of(op);
  if (options == nullptr || options->output_padding_h() < 0 || options->output_padding_w() < 0) return false;
  return conv_supported(op, params_of(*options));
}

Status create_conv_transpose2d(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::ConvTranspose2DOptions& options = *options_of(op);
  const ConvParams params = params_of(options);
  ConvDescs d;
  BSP_RETURN_IF_ERROR(conv_descs(op, params, &d));
  WindowDims& w = d.window;
  w.padding_r[0] = params.window.pad_bottom - options.output_padding_h();
  w.padding_r[1] = params.window.pad_right - options.output_padding_w();
  dnnl_deconvolution_desc_t desc;
  BSP_DNNL_CHECK(dnnl_dilated_deconvolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_deconvolution_direct,
                                                              &d.memory.src, &d.any_weights, d.bias(), &d.memory.dst,
                                                              w.strides, w.dilates, w.padding_l, w.padding_r));
  return create_weighted_kernel(op, env, &desc, d.memory, params.activation, kernel, /*blocked_op_desc=*/nullptr,
                                /*activation_as_post_op=*/false);
}

}  // namespace bespoke::rt::onednn
