// CONV_2D: X [N, C, H, W] * W [M, C/groups, kH, kW] + B [M] -> Y [N, M, OH, OW],
// with groups (depthwise when groups == C), dilation, stride, asymmetric pads
// and a fused activation.
//
// One task per output plane (n, m): the plane is initialised with the bias,
// then every (input channel, kernel tap) adds weight * shifted input rows to
// it. The rows a tap can reach are precomputed at create time, so the inner
// loop runs over contiguous output without bounds tests.
#include <string>

#include "backends/reference/conv_kernel.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

const fb::Conv2DOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_Conv2DOptions(); }

class Conv2DKernel final : public ConvKernelBase<Conv2DKernel> {
 public:
  explicit Conv2DKernel(const OperatorRef& op)
      : ConvKernelBase<Conv2DKernel>(op, options_of(op), /*transposed=*/false) {}

  void accumulate_plane(int64_t n, int64_t m, float* out) const {
    const int64_t group = m / group_out_;
    const int64_t taps = window_.kernel_h * window_.kernel_w;
    for (int64_t c = 0; c < group_in_; ++c) {
      const float* in = input(0) + ((n * g_.in_channels) + group * group_in_ + c) * g_.in_h * g_.in_w;
      const float* weights = input(1) + (m * group_in_ + c) * taps;
      for (int64_t kh = 0; kh < window_.kernel_h; ++kh) {
        const IndexRange rows = g_.rows[static_cast<size_t>(kh)];
        for (int64_t kw = 0; kw < window_.kernel_w; ++kw) {
          const IndexRange cols = g_.cols[static_cast<size_t>(kw)];
          const float w = weights[kh * window_.kernel_w + kw];
          const int64_t col_offset = kw * window_.dilation_w - window_.pad_left;
          for (int64_t oh = rows.begin; oh < rows.end; ++oh) {
            const int64_t ih = oh * window_.stride_h + kh * window_.dilation_h - window_.pad_top;
            const float* in_row = in + ih * g_.in_w;
            float* out_row = out + oh * g_.out_w;
            if (window_.stride_w == 1) {
              for (int64_t ow = cols.begin; ow < cols.end; ++ow) out_row[ow] += w * in_row[ow + col_offset];
            } else {
              const int64_t stride = window_.stride_w;
              for (int64_t ow = cols.begin; ow < cols.end; ++ow) out_row[ow] += w * in_row[ow * stride + col_offset];
            }
          }
        }
      }
    }
  }
};

}  // namespace

Status supports_conv2d(const OperatorRef& op) {
  const fb::Conv2DOptions& o = options_of(op);
  const WindowParams window = WindowParams::from(o);
  BSP_RETURN_IF_ERROR(check_conv_options(op, window, o.activation()));
  const int64_t groups = o.groups();
  BSP_RETURN_IF_ERROR(check_conv_operands(op, groups));
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const int64_t m = w.dim(0);
  if (m % groups != 0)
    return op_error(
        op, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(m) + " output channels");
  BSP_RETURN_IF_ERROR(expect_shape(op, w, {m, x.dim(1) / groups, window.kernel_h, window.kernel_w}, "weight"));
  return check_conv_output(op, m, window.output_h(x.dim(2)), window.output_w(x.dim(3)),
                           "the kernel window does not fit the padded input");
}

Status create_conv2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<Conv2DKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
