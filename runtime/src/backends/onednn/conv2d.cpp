// CONV_2D as a oneDNN convolution: direct algorithm only (Winograd trades
// accuracy for speed), groups / depthwise through 5-D grouped weights,
// dilation, asymmetric padding, bias and a fused RELU / CLIP post-op.
//
// Activation layout: measured with oneDNN 2.6 on one thread (MobileNetV2,
// ResNet and PP-OCR layer shapes), the AVX, AVX2 and AVX-512 kernels are as
// fast or faster on NHWC than on a blocked layout once the two reorders are
// counted, and so are 1x1, depthwise and few-channel convolutions on every
// ISA. The exception is the SSE4.1 direct kernel of dense spatial
// convolutions with >= 16 input channels: on nChw8c it runs 1.3-1.7x faster
// including the reorders (e.g. 3x3 64->64 at 56x56: 15.4 ms NHWC, 9.0 ms
// blocked), so only there the kernel reorders its activations.
#include "backends/onednn/conv_descs.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"

namespace bespoke::rt::onednn {
namespace {

const fb::Conv2DOptions* options_of(const OperatorRef& op) { return op.info().op->options_as_Conv2DOptions(); }

ConvParams params_of(const fb::Conv2DOptions& options) { return ConvParams::from(options, /*transposed=*/false); }

bool blocked_activations_pay(int64_t channels, const ConvParams& params) {
  return dnnl_get_effective_cpu_isa() == dnnl_cpu_isa_sse41 && params.groups == 1 && channels >= 16 &&
         (params.window.kernel_h > 1 || params.window.kernel_w > 1);
}

}  // namespace

bool supports_conv2d(const OperatorRef& op) {
  const fb::Conv2DOptions* options = options_of(op);
  return options != nullptr && conv_supported(op, params_of(*options));
}

Status create_conv2d(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const ConvParams params = params_of(*options_of(op));
  ConvDescs d;
  BSP_RETURN_IF_ERROR(conv_descs(op, params, &d));
  const WindowDims& w = d.window;
  dnnl_convolution_desc_t desc;
  BSP_DNNL_CHECK(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct,
                                                            &d.memory.src, &d.any_weights, d.bias(), &d.memory.dst,
                                                            w.strides, w.dilates, w.padding_l, w.padding_r));
  if (!blocked_activations_pay(op.input(0).dim(1), params))
    return create_weighted_kernel(op, env, &desc, d.memory, params.activation, kernel);

  dnnl_memory_desc_t any_src, any_dst;
  BSP_RETURN_IF_ERROR(tagged_desc(4, d.memory.src.dims, dnnl_format_tag_any, &any_src));
  BSP_RETURN_IF_ERROR(tagged_desc(4, d.memory.dst.dims, dnnl_format_tag_any, &any_dst));
  dnnl_convolution_desc_t blocked_desc;
  BSP_DNNL_CHECK(dnnl_dilated_convolution_forward_desc_init(&blocked_desc, dnnl_forward_inference,
                                                            dnnl_convolution_direct, &any_src, &d.any_weights, d.bias(),
                                                            &any_dst, w.strides, w.dilates, w.padding_l, w.padding_r));
  return create_weighted_kernel(op, env, &desc, d.memory, params.activation, kernel, &blocked_desc);
}

}  // namespace bespoke::rt::onednn
