// REDUCE_MEAN over the listed axes (non-negative, strictly ascending; none
// listed = all axes, as in ONNX), keeping them as size-1 dims or dropping them.
//
// The input is walked contiguously while each element is added to its output
// cell (output strides are 0 along reduced dims), in a double accumulator
// allocated at create time; run() then divides by the reduced element count.
#include <algorithm>
#include <vector>

#include "backends/reference/operators.h"
#include "backends/reference/strided_shape.h"

namespace bespoke::rt::reference {
namespace {

const fb::ReduceOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_ReduceOptions(); }

// reduced[d] for every input dim.
std::vector<bool> reduced_dims(const OperatorRef& op) {
  const int rank = op.input(0).rank;
  const auto* axes = options_of(op).axes();
  std::vector<bool> reduced(static_cast<size_t>(rank), axes == nullptr || axes->size() == 0);
  if (axes != nullptr)
    for (int32_t axis : *axes) reduced[static_cast<size_t>(axis)] = true;
  return reduced;
}

class ReduceMeanKernel final : public ReferenceKernel {
 public:
  explicit ReduceMeanKernel(const OperatorRef& op) : ReferenceKernel(op), sums_(op.output(0).element_count) {
    const TensorInfo& x = op.input(0);
    const std::vector<bool> reduced = reduced_dims(op);
    shape_.rank = std::max(x.rank, 1);
    shape_.dims = x.dims;
    if (x.rank == 0) shape_.dims[0] = 1;
    shape_.strides[kIn] = contiguous_strides(shape_.dims, shape_.rank);
    int64_t stride = 1, reduced_count = 1;
    for (int d = x.rank - 1; d >= 0; --d) {
      if (reduced[static_cast<size_t>(d)]) {
        shape_.strides[kSum][d] = 0;
        reduced_count *= x.dim(d);
      } else {
        shape_.strides[kSum][d] = stride;
        stride *= x.dim(d);
      }
    }
    shape_.coalesce();
    reduced_count_ = static_cast<double>(reduced_count);
  }

  Status run() override {
    std::fill(sums_.begin(), sums_.end(), 0.0);
    const float* in = input(0);
    const int64_t inner = shape_.inner(), in_stride = shape_.inner_stride(kIn), sum_stride = shape_.inner_stride(kSum);
    std::array<int64_t, 2> offsets;
    for (int64_t row = 0; row < shape_.rows(); ++row) {
      shape_.row_offsets(row, offsets);
      const float* src = in + offsets[kIn];
      double* sums = sums_.data() + offsets[kSum];
      if (sum_stride == 0) {
        double total = 0.0;
        for (int64_t i = 0; i < inner; ++i) total += src[i * in_stride];
        *sums += total;
      } else {
        for (int64_t i = 0; i < inner; ++i) sums[i * sum_stride] += src[i * in_stride];
      }
    }
    float* out = output(0);
    for (size_t i = 0; i < sums_.size(); ++i) out[i] = static_cast<float>(sums_[i] / reduced_count_);
    return Status::Ok();
  }

 private:
  enum Operand { kIn = 0, kSum = 1 };
  StridedShape<2> shape_;
  std::vector<double> sums_;
  double reduced_count_ = 1.0;
};

}  // namespace

Status supports_reduce_mean(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const fb::ReduceOptions& o = options_of(op);
  int previous = -1;
  if (o.axes() != nullptr) {
    for (int32_t axis : *o.axes()) {
      if (axis <= previous || axis >= x.rank)
        return op_error(op, "axes must be strictly ascending and within 0.." + std::to_string(x.rank - 1));
      previous = axis;
    }
  }
  const std::vector<bool> reduced = reduced_dims(op);
  std::vector<int64_t> out;
  for (int d = 0; d < x.rank; ++d) {
    if (!reduced[static_cast<size_t>(d)]) {
      out.push_back(x.dim(d));
    } else if (o.keep_dims()) {
      out.push_back(1);
    }
  }
  return expect_shape(op, op.output(0), out, "output");
}

Status create_reduce_mean(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ReduceMeanKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
