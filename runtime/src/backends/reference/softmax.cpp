// SOFTMAX over one axis (ONNX opset 13): y = exp(x - max) / sum(exp(x - max))
// along `axis`, for each position of the other dims. The tensor is viewed as
// [outer, axis, inner]; each (outer, inner) pair is one independent softmax.
#include <algorithm>
#include <cmath>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

class SoftmaxKernel final : public ReferenceKernel {
 public:
  explicit SoftmaxKernel(const OperatorRef& op) : ReferenceKernel(op) {
    const TensorInfo& x = op.input(0);
    const int axis = op.info().op->options_as_SoftmaxOptions()->axis();
    outer_ = dims_product(x, 0, axis);
    axis_size_ = x.dim(axis);
    inner_ = dims_product(x, axis + 1, x.rank);
  }

  Status run() override {
    const size_t tile = static_cast<size_t>(std::max<int64_t>(1, 4096 / axis_size_));
    parallel_for_tiles(threadpool(), static_cast<size_t>(outer_ * inner_), tile, [this](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) compute(static_cast<int64_t>(i));
    });
    return Status::Ok();
  }

 private:
  void compute(int64_t position) const {
    const int64_t o = position / inner_, i = position % inner_;
    const int64_t base = o * axis_size_ * inner_ + i;
    const float* in = input(0) + base;
    float* out = output(0) + base;
    float max = in[0];
    for (int64_t a = 1; a < axis_size_; ++a) max = std::max(max, in[a * inner_]);
    double sum = 0.0;
    for (int64_t a = 0; a < axis_size_; ++a) {
      const float e = std::exp(in[a * inner_] - max);
      out[a * inner_] = e;
      sum += e;
    }
    for (int64_t a = 0; a < axis_size_; ++a) out[a * inner_] = static_cast<float>(out[a * inner_] / sum);
  }

  int64_t outer_ = 1, axis_size_ = 1, inner_ = 1;
};

}  // namespace

Status supports_softmax(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const int axis = op.info().op->options_as_SoftmaxOptions()->axis();
  if (axis < 0 || axis >= std::max(x.rank, 1) || x.rank == 0)
    return op_error(op, "axis " + std::to_string(axis) + " out of range for input " + shape_string(x));
  return expect_shape(op, op.output(0), std::vector<int64_t>(x.dims.begin(), x.dims.begin() + x.rank), "output");
}

Status create_softmax(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<SoftmaxKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
