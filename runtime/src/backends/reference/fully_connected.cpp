// FULLY_CONNECTED: X [..., K], W [N, K], B [N] -> Y [..., N], Y = X W^T + B
// over the last dimension, then the fused activation.
//
// Every output element is one dot product of two contiguous rows (W is stored
// [N, K]), so the work is split over output elements in tiles of roughly
// equal cost.
#include <algorithm>

#include "backends/reference/activation.h"
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

const fb::FullyConnectedOptions* options_of(const OperatorRef& op) {
  return op.info().op->options_as_FullyConnectedOptions();  // optional
}

// Four partial sums: breaks the addition dependency chain the compiler may
// not reorder, and keeps rounding error growth lower than one running sum.
float dot(const float* a, const float* b, int64_t count) {
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < count; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

class FullyConnectedKernel final : public ReferenceKernel {
 public:
  explicit FullyConnectedKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        activation_(options_of(op) != nullptr ? options_of(op)->activation() : nullptr),
        depth_(op.input(1).dim(1)),
        features_(op.input(1).dim(0)),
        rows_(static_cast<int64_t>(op.input(0).element_count) / depth_) {}

  Status run() override {
    const size_t total = static_cast<size_t>(rows_ * features_);
    const size_t tile = static_cast<size_t>(std::max<int64_t>(1, 16384 / depth_));
    parallel_for_tiles(threadpool(), total, tile, [this](size_t begin, size_t end) {
      const float* x = input(0);
      const float* w = input(1);
      const float* bias = input(2);
      float* y = output(0);
      for (size_t i = begin; i < end; ++i) {
        const int64_t row = static_cast<int64_t>(i) / features_, feature = static_cast<int64_t>(i) % features_;
        const float sum = dot(x + row * depth_, w + feature * depth_, depth_);
        y[i] = activation_.apply(bias != nullptr ? sum + bias[feature] : sum);
      }
    });
    return Status::Ok();
  }

 private:
  FusedActivation activation_;
  int64_t depth_, features_, rows_;
};

}  // namespace

Status supports_fully_connected(const OperatorRef& op) {
  const fb::FullyConnectedOptions* o = options_of(op);
  if (o != nullptr && !FusedActivation::is_known(o->activation())) return op_error(op, "unknown fused activation");
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  BSP_RETURN_IF_ERROR(expect_rank(op, w, 2, "weight"));
  if (x.rank < 1) return op_error(op, "input must have at least one dimension");
  const int64_t k = w.dim(1), n = w.dim(0);
  if (x.dim(x.rank - 1) != k)
    return op_error(op, "input " + shape_string(x) + " does not end in the weight's depth " + std::to_string(k));
  if (op.has_input(2)) BSP_RETURN_IF_ERROR(expect_shape(op, op.input(2), {n}, "bias"));
  std::vector<int64_t> out(x.dims.begin(), x.dims.begin() + x.rank);
  out.back() = n;
  return expect_shape(op, op.output(0), out, "output");
}

Status create_fully_connected(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<FullyConnectedKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
