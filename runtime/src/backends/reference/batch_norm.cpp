// BATCH_NORM (inference): X [N, C, ...], scale, bias, mean, var [C];
// y = (x - mean) / sqrt(var + epsilon) * scale + bias, folded per channel
// into y = a * x + b. The parameters may be activations, so a and b are
// computed (in double) on every run into buffers sized at create time.
#include <cmath>
#include <vector>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

enum Input { kX = 0, kScale = 1, kBias = 2, kMean = 3, kVar = 4 };

class BatchNormKernel final : public ReferenceKernel {
 public:
  explicit BatchNormKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        epsilon_(op.info().op->options_as_BatchNormOptions()->epsilon()),
        channels_(op.input(kX).dim(1)),
        planes_(op.input(kX).dim(0) * channels_),
        plane_size_(dims_product(op.input(kX), 2, op.input(kX).rank)),
        multiplier_(static_cast<size_t>(channels_)),
        offset_(static_cast<size_t>(channels_)) {}

  Status run() override {
    for (size_t c = 0; c < multiplier_.size(); ++c) {
      const double a = input(kScale)[c] / std::sqrt(static_cast<double>(input(kVar)[c]) + epsilon_);
      multiplier_[c] = static_cast<float>(a);
      offset_[c] = static_cast<float>(input(kBias)[c] - input(kMean)[c] * a);
    }
    parallel_for_tiles(threadpool(), static_cast<size_t>(planes_), 16, [this](size_t begin, size_t end) {
      for (size_t plane = begin; plane < end; ++plane) {
        const size_t c = plane % static_cast<size_t>(channels_);
        const float a = multiplier_[c], b = offset_[c];
        const float* in = input(kX) + static_cast<int64_t>(plane) * plane_size_;
        float* out = output(0) + static_cast<int64_t>(plane) * plane_size_;
        for (int64_t i = 0; i < plane_size_; ++i) out[i] = a * in[i] + b;
      }
    });
    return Status::Ok();
  }

 private:
  double epsilon_;
  int64_t channels_, planes_, plane_size_;
  std::vector<float> multiplier_, offset_;
};

}  // namespace

Status supports_batch_norm(const OperatorRef& op) {
  const TensorInfo& x = op.input(kX);
  if (x.rank < 2) return op_error(op, "input has rank " + std::to_string(x.rank) + ", expected at least 2");
  const float epsilon = op.info().op->options_as_BatchNormOptions()->epsilon();
  if (!(epsilon >= 0.0f) || !std::isfinite(epsilon)) return op_error(op, "epsilon must be finite and >= 0");
  const char* names[] = {"", "scale", "bias", "mean", "var"};
  for (int i = kScale; i <= kVar; ++i)
    BSP_RETURN_IF_ERROR(expect_shape(op, op.input(static_cast<size_t>(i)), {x.dim(1)}, names[i]));
  return expect_shape(op, op.output(0), std::vector<int64_t>(x.dims.begin(), x.dims.begin() + x.rank), "output");
}

Status create_batch_norm(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<BatchNormKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
