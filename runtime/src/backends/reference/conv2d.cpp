// CONV_2D: X [N, C, H, W] * W [M, C/groups, kH, kW] + B [M] -> Y [N, M, OH, OW],
// with groups (depthwise when groups == C), dilation, stride, asymmetric pads
// and a fused activation.
//
// One task per output plane (n, m): the plane is initialised with the bias,
// then every (input channel, kernel tap) adds weight * shifted input rows to
// it. The rows a tap can reach are precomputed at create time, so the inner
// loop runs over contiguous output without bounds tests.
#include <algorithm>
#include <vector>

#include "backends/reference/activation.h"
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"
#include "backends/reference/window.h"

namespace bespoke::rt::reference {
namespace {

const fb::Conv2DOptions& options_of(const KernelArgs& args) { return *args.op().op->options_as_Conv2DOptions(); }

class Conv2DKernel final : public ReferenceKernel {
 public:
  explicit Conv2DKernel(const KernelArgs& args)
      : ReferenceKernel(args),
        window_(Window2D::from(options_of(args))),
        activation_(options_of(args).activation()),
        groups_(options_of(args).groups()),
        g_(args, window_, /*transposed=*/false) {}

  Status run() override {
    parallel_for(threadpool(), static_cast<size_t>(g_.batch * g_.out_channels),
                 [this](size_t task) { compute_plane(static_cast<int64_t>(task)); });
    return Status::Ok();
  }

 private:
  void compute_plane(int64_t task) const {
    const int64_t n = task / g_.out_channels, m = task % g_.out_channels;
    const int64_t group_in = g_.in_channels / groups_, group_out = g_.out_channels / groups_;
    const int64_t group = m / group_out;
    const int64_t taps = window_.kernel_h * window_.kernel_w;
    float* out = output(0) + task * g_.out_h * g_.out_w;
    const float* bias = input(2);
    std::fill(out, out + g_.out_h * g_.out_w, bias != nullptr ? bias[m] : 0.0f);

    for (int64_t c = 0; c < group_in; ++c) {
      const float* in = input(0) + ((n * g_.in_channels) + group * group_in + c) * g_.in_h * g_.in_w;
      const float* weights = input(1) + (m * group_in + c) * taps;
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
              for (int64_t ow = cols.begin; ow < cols.end; ++ow)
                out_row[ow] += w * in_row[ow * stride + col_offset];
            }
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

Status check_conv2d(const KernelArgs& args) {
  const fb::Conv2DOptions& o = options_of(args);
  const Window2D window = Window2D::from(o);
  BSP_RETURN_IF_ERROR(check_window(args, window));
  if (!FusedActivation::is_known(o.activation())) return op_error(args, "unknown fused activation");
  const TensorInfo& x = args.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(args, x, 4, "input"));
  const int64_t groups = o.groups();
  if (groups < 1 || x.dim(1) % groups != 0)
    return op_error(args, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(x.dim(1)) +
                              " input channels");
  const TensorInfo& w = args.input(1);
  BSP_RETURN_IF_ERROR(expect_rank(args, w, 4, "weight"));
  const int64_t m = w.dim(0);
  if (m % groups != 0)
    return op_error(args, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(m) +
                              " output channels");
  BSP_RETURN_IF_ERROR(expect_shape(args, w, {m, x.dim(1) / groups, window.kernel_h, window.kernel_w}, "weight"));
  if (args.has_input(2)) BSP_RETURN_IF_ERROR(expect_shape(args, args.input(2), {m}, "bias"));
  const int64_t oh = window.output_h(x.dim(2)), ow = window.output_w(x.dim(3));
  if (oh < 1 || ow < 1) return op_error(args, "the kernel window does not fit the padded input");
  return expect_shape(args, args.output(0), {x.dim(0), m, oh, ow}, "output");
}

Status create_conv2d(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<Conv2DKernel>(args, kernel);
}

}  // namespace bespoke::rt::reference
