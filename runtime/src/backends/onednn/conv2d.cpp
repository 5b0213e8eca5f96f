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
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/weighted_kernel.h"
#include "backends/onednn/window.h"

namespace bespoke::rt::onednn {
namespace {

const fb::Conv2DOptions* options_of(const OpRef& op) { return op.op().op->options_as_Conv2DOptions(); }

bool blocked_activations_pay(int64_t channels, const Window& window, int64_t groups) {
  return dnnl_get_effective_cpu_isa() == dnnl_cpu_isa_sse41 && groups == 1 && channels >= 16 &&
         (window.kernel_h > 1 || window.kernel_w > 1);
}

}  // namespace

bool supports_conv2d(const OpRef& op) {
  const fb::Conv2DOptions* options = options_of(op);
  if (options == nullptr || op.input_count() < 2 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || y.rank != 4 || !Window::from(*options).valid()) return false;
  const int64_t groups = options->groups();
  const int64_t channels = x.dim(1), maps = y.dim(1);
  if (groups < 1 || channels % groups != 0 || maps % groups != 0) return false;
  if (!weights_and_bias_supported(op, 4, maps, options->activation())) return false;
  const TensorInfo& w = op.input(1);
  return w.dim(0) == maps && w.dim(1) == channels / groups && w.dim(2) == options->kernel_h() &&
         w.dim(3) == options->kernel_w();
}

Status create_conv2d(const OpRef& op, const KernelEnv& env, KernelOut kernel) {
  const fb::Conv2DOptions& options = *options_of(op);
  const Window window = Window::from(options);
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  const int64_t groups = options.groups();
  const int64_t channels = x.dim(1), maps = y.dim(1);

  WeightedDescs descs;
  BSP_RETURN_IF_ERROR(stored_desc(x, &descs.src));
  BSP_RETURN_IF_ERROR(stored_desc(y, &descs.dst));
  BSP_RETURN_IF_ERROR(flat_desc(maps, &descs.bias));
  // File layout [M, C/g, kH, kW] is oihw, or goihw once M is split into [g, M/g].
  dnnl_memory_desc_t any_weights;
  BSP_RETURN_IF_ERROR(spatial_weight_descs(groups, maps, channels, window.kernel_h, window.kernel_w, dnnl_oihw,
                                           dnnl_goihw, &descs.file_weights, &any_weights));

  dnnl_dims_t strides, dilates, padding_l, padding_r;
  window.strides(strides);
  window.dilates(dilates);
  window.padding_l(padding_l);
  window.padding_r(padding_r);
  const dnnl_memory_desc_t* bias = op.has_input(2) ? &descs.bias : nullptr;
  dnnl_convolution_desc_t desc;
  BSP_DNNL_CHECK(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct,
                                                            &descs.src, &any_weights, bias, &descs.dst, strides,
                                                            dilates, padding_l, padding_r));
  if (!blocked_activations_pay(channels, window, groups))
    return create_weighted_kernel(op, env, &desc, descs, options.activation(), kernel);

  dnnl_memory_desc_t any_src, any_dst;
  BSP_RETURN_IF_ERROR(tagged_desc(4, descs.src.dims, dnnl_format_tag_any, &any_src));
  BSP_RETURN_IF_ERROR(tagged_desc(4, descs.dst.dims, dnnl_format_tag_any, &any_dst));
  dnnl_convolution_desc_t blocked_desc;
  BSP_DNNL_CHECK(dnnl_dilated_convolution_forward_desc_init(&blocked_desc, dnnl_forward_inference,
                                                            dnnl_convolution_direct, &any_src, &any_weights, bias,
                                                            &any_dst, strides, dilates, padding_l, padding_r));
  return create_weighted_kernel(op, env, &desc, descs, options.activation(), kernel, &blocked_desc);
}

}  // namespace bespoke::rt::onednn
