// CONV_TRANSPOSE_2D: X [N, C, H, W], W [C, M/groups, kH, kW], B [M] -> Y [N, M, OH, OW]
// with OH = stride*(H-1) + output_padding + dilation*(kH-1) + 1 - pad_top - pad_bottom.
//
// Each input pixel scatters weight * x into the output at
// oh = ih*stride - pad_top + kh*dilation. One task per output plane (n, m)
// gathers all scatters into that plane, so tasks never write the same memory;
// output positions no tap reaches (output_padding) keep the bias.
#include <algorithm>
#include <vector>

#include "backends/reference/activation.h"
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"
#include "backends/reference/window.h"

namespace bespoke::rt::reference {
namespace {

const fb::ConvTranspose2DOptions& options_of(const KernelArgs& args) {
  return *args.op().op->options_as_ConvTranspose2DOptions();
}

class ConvTranspose2DKernel final : public ReferenceKernel {
 public:
  explicit ConvTranspose2DKernel(const KernelArgs& args)
      : ReferenceKernel(args),
        window_(Window2D::from(options_of(args))),
        activation_(options_of(args).activation()),
        groups_(options_of(args).groups()),
        g_(args, window_, /*transposed=*/true) {}

  Status run() override {
    parallel_for(threadpool(), static_cast<size_t>(g_.batch * g_.out_channels),
                 [this](size_t task) { compute_plane(static_cast<int64_t>(task)); });
    return Status::Ok();
  }

 private:
  void compute_plane(int64_t task) const {
    const int64_t n = task / g_.out_channels, oc = task % g_.out_channels;
    const int64_t group_in = g_.in_channels / groups_, group_out = g_.out_channels / groups_;
    const int64_t group = oc / group_out, m = oc % group_out;
    const int64_t taps = window_.kernel_h * window_.kernel_w;
    float* out = output(0) + task * g_.out_h * g_.out_w;
    const float* bias = input(2);
    std::fill(out, out + g_.out_h * g_.out_w, bias != nullptr ? bias[oc] : 0.0f);

    for (int64_t c = 0; c < group_in; ++c) {
      const int64_t ic = group * group_in + c;
      const float* in = input(0) + (n * g_.in_channels + ic) * g_.in_h * g_.in_w;
      const float* weights = input(1) + (ic * group_out + m) * taps;
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
    activation_.apply(out, static_cast<size_t>(g_.out_h * g_.out_w));
  }

  Window2D window_;
  FusedActivation activation_;
  int64_t groups_;
  ConvGeometry g_;
};

}  // namespace

Status check_conv_transpose2d(const KernelArgs& args) {
  const fb::ConvTranspose2DOptions& o = options_of(args);
  const Window2D window = Window2D::from(o);
  BSP_RETURN_IF_ERROR(check_window(args, window));
  if (!FusedActivation::is_known(o.activation())) return op_error(args, "unknown fused activation");
  const int64_t pad_h = o.output_padding_h(), pad_w = o.output_padding_w();
  if (pad_h < 0 || pad_w < 0 || pad_h >= std::max(window.stride_h, window.dilation_h) ||
      pad_w >= std::max(window.stride_w, window.dilation_w))
    return op_error(args, "output_padding (" + std::to_string(pad_h) + ", " + std::to_string(pad_w) +
                              ") must be >= 0 and smaller than the stride or the dilation");
  const TensorInfo& x = args.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(args, x, 4, "input"));
  const int64_t groups = o.groups();
  if (groups < 1 || x.dim(1) % groups != 0)
    return op_error(args, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(x.dim(1)) +
                              " input channels");
  const TensorInfo& w = args.input(1);
  BSP_RETURN_IF_ERROR(expect_rank(args, w, 4, "weight"));
  const int64_t m = w.dim(1) * groups;
  BSP_RETURN_IF_ERROR(expect_shape(args, w, {x.dim(1), w.dim(1), window.kernel_h, window.kernel_w}, "weight"));
  if (args.has_input(2)) BSP_RETURN_IF_ERROR(expect_shape(args, args.input(2), {m}, "bias"));
  const int64_t oh = window.stride_h * (x.dim(2) - 1) + pad_h + window.dilation_h * (window.kernel_h - 1) + 1 -
                     window.pad_top - window.pad_bottom;
  const int64_t ow = window.stride_w * (x.dim(3) - 1) + pad_w + window.dilation_w * (window.kernel_w - 1) + 1 -
                     window.pad_left - window.pad_right;
  if (oh < 1 || ow < 1) return op_error(args, "the padding removes the whole output");
  return expect_shape(args, args.output(0), {x.dim(0), m, oh, ow}, "output");
}

Status create_conv_transpose2d(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ConvTranspose2DKernel>(args, kernel);
}

}  // namespace bespoke::rt::reference
