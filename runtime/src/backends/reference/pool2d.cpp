// MAX_POOL_2D and AVERAGE_POOL_2D over NCHW with stride, dilation and
// asymmetric explicit padding. Padded cells count as -inf for max pooling;
// for average pooling they count in the divisor only with count_include_pad
// (divisor kernel_h * kernel_w), otherwise the divisor is the number of input
// cells under the window. A window entirely in the padding (only possible
// with pads >= kernel) yields -inf (max) or 0 (average, count_include_pad false).
#include <cmath>
#include <limits>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"
#include "backends/reference/window.h"

namespace bespoke::rt::reference {
namespace {

enum class PoolKind { kMax, kAverage };

const fb::Pool2DOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_Pool2DOptions(); }

class Pool2DKernel final : public ReferenceKernel {
 public:
  Pool2DKernel(const OperatorRef& op, PoolKind kind)
      : ReferenceKernel(op),
        kind_(kind),
        window_(WindowParams::from(options_of(op))),
        count_include_pad_(options_of(op).count_include_pad()) {
    const TensorInfo& x = op.input(0);
    planes_ = x.dim(0) * x.dim(1);
    in_h_ = x.dim(2);
    in_w_ = x.dim(3);
    out_h_ = op.output(0).dim(2);
    out_w_ = op.output(0).dim(3);
  }

  Status run() override {
    parallel_for(threadpool(), static_cast<size_t>(planes_),
                 [this](size_t plane) { compute_plane(static_cast<int64_t>(plane)); });
    return Status::Ok();
  }

 private:
  void compute_plane(int64_t plane) const {
    const float* in = input(0) + plane * in_h_ * in_w_;
    float* out = output(0) + plane * out_h_ * out_w_;
    const float full_window = static_cast<float>(window_.kernel_h * window_.kernel_w);
    for (int64_t oh = 0; oh < out_h_; ++oh) {
      const int64_t top = oh * window_.stride_h - window_.pad_top;
      const IndexRange taps_h = valid_range(top, window_.dilation_h, in_h_, window_.kernel_h);
      for (int64_t ow = 0; ow < out_w_; ++ow) {
        const int64_t left = ow * window_.stride_w - window_.pad_left;
        const IndexRange taps_w = valid_range(left, window_.dilation_w, in_w_, window_.kernel_w);
        float max = -std::numeric_limits<float>::infinity();
        float sum = 0.0f;
        for (int64_t kh = taps_h.begin; kh < taps_h.end; ++kh) {
          const float* row = in + (top + kh * window_.dilation_h) * in_w_;
          for (int64_t kw = taps_w.begin; kw < taps_w.end; ++kw) {
            const float v = row[left + kw * window_.dilation_w];
            max = (v > max || std::isnan(v)) ? v : max;  // NaN propagates, as in ONNX and PyTorch
            sum += v;
          }
        }
        float result = max;
        if (kind_ == PoolKind::kAverage) {
          const int64_t cells = (taps_h.end - taps_h.begin) * (taps_w.end - taps_w.begin);
          const float divisor = count_include_pad_ ? full_window : static_cast<float>(cells);
          result = cells == 0 ? 0.0f : sum / divisor;
        }
        out[oh * out_w_ + ow] = result;
      }
    }
  }

  PoolKind kind_;
  WindowParams window_;
  bool count_include_pad_;
  int64_t planes_ = 0, in_h_ = 0, in_w_ = 0, out_h_ = 0, out_w_ = 0;
};

Status check_pool2d(const OperatorRef& op) {
  const WindowParams window = WindowParams::from(options_of(op));
  BSP_RETURN_IF_ERROR(check_window(op, window));
  const TensorInfo& x = op.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(op, x, 4, "input"));
  const int64_t oh = window.output_h(x.dim(2)), ow = window.output_w(x.dim(3));
  if (oh < 1 || ow < 1) return op_error(op, "the pooling window does not fit the padded input");
  return expect_shape(op, op.output(0), {x.dim(0), x.dim(1), oh, ow}, "output");
}

}  // namespace

Status supports_pool2d(const OperatorRef& op) { return check_pool2d(op); }

Status create_pool2d(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const PoolKind kind = op.opcode() == fb::OpCode::MAX_POOL_2D ? PoolKind::kMax : PoolKind::kAverage;
  return make_kernel<Pool2DKernel>(op, exec, kernel, kind);
}

}  // namespace bespoke::rt::reference
