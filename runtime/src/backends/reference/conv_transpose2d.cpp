// CONV_TRANSPOSE_2D: X [N, C, H, W], W [C, M/groups, kH, kW], B [M] -> Y [N, M, OH, OW]
// with OH = stride*(H-1) + output_padding + dilation*(kH-1) + 1 - pad_top - pad_bottom.
//
// Each input pixel scatters weight * x into the output at
// oh = ih*stride - pad_top + kh*dilation. One task per output plane (n, m)
// gathers all scatters into that plane, so tasks never write the same memory;
// output positions no tap reaches (output_padding) keep the bias.
#include <algorithm>
#include <string>

#include "backends/reference/conv_kernel.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

const fb::ConvTranspose2DOptions& options_of(const OperatorRef& op) {
  return *op.info().op->options_as_ConvTranspose2DOptions();
}

class ConvTranspose2DKernel final : public ConvKernelBase<ConvTranspose2DKernel> {
 public:
  explicit ConvTranspose2DKernel(const OperatorRef& op)
      : ConvKernelBase<ConvTranspose2DKernel>(op, options_of(op), /*transposed=*/true) {}

  void accumulate_plane(int64_t n, int64_t oc, float* out) const {
    const int64_t group = oc / group_out_, m = oc % group_out_;
    const int64_t taps = window_.kernel_h * window_.kernel_w;
    for (int64_t c = 0; c < group_in_; ++c) {
      const int64_t ic = group * group_in_ + c;
      const float* in = input(0) + (n * g_.in_channels + ic) * g_.in_h * g_.in_w;
      const float* weights = input(1) + (ic * group_out_ + m) * taps;
      for (int64_t kh = 0; kh < window_.kernel_h; ++kh) {
        const IndexRange rows = g_.rows[static_cast<size_t>(kh)];
        for (int64_t kw = 0; kw < window_.kernel_w; ++kw) {
          const IndexRange cols = g_.cols[static_cast<size_t>(kw)];
          const float w = weights[kh * window_.kernel_w + kw];
          const int64_t col_offset = kw * window_.dilation_w - window_.pad_left;
          const int64_t stride = window_.stride_w;
          for (int64_t ih = rows.begin; ih < rows.end; ++ih) {
            const int64_t oh = ih * window_.stride_h + kh * window_.dilation_h - window_.pad_top;
            const float* in_row = in + ih * g_.in_w;
            float* out_row = out + oh * g_.out_w;
            for (int64_t iw = cols.begin; iw < cols.end; ++iw) out_row[iw * stride + col_offset] += w * in_row[iw];
          }
        }
      }
    }
  }
};

}  // namespace

Status supports_conv_transpose2d(const OperatorRef& op) {
  const fb::ConvTranspose2DOptions& o = options_of(op);
  const WindowParams window = WindowParams::from(o);
  BSP_RETURN_IF_ERROR(check_conv_options(op, window, o.activation()));
  const int64_t pad_h = o.output_padding_h(), pad_w = o.output_padding_w();
  if (pad_h < 0 || pad_w < 0 || pad_h >= std::max(window.stride_h, window.dilation_h) ||
      pad_w >= std::max(window.stride_w, window.dilation_w))
    return op_error(op, "output_padding (" + std::to_string(pad_h) + ", " + std::to_string(pad_w) +
                            ") must be >= 0 and smaller than the stride or the dilation");
  const int64_t groups = o.groups();
  BSP_RETURN_IF_ERROR(check_conv_operands(op, groups));
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const int64_t m = w.dim(1) * groups;
  BSP_RETURN_IF_ERROR(expect_shape(op, w, {x.dim(1), w.dim(1), window.kernel_h, window.kernel_w}, "weight"));
  const int64_t oh = window.stride_h * (x.dim(2) - 1) + pad_h + window.dilation_h * (window.kernel_h - 1) + 1 -
                     window.pad_top - window.pad_bottom;
  const int64_t ow = window.stride_w * (x.dim(3) - 1) + pad_w + window.dilation_w * (window.kernel_w - 1) + 1 -
                     window.pad_left - window.pad_right;
  return check_conv_output(op, m, oh, ow, "the padding removes the whole output");
}

Status create_conv_transpose2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ConvTranspose2DKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
