// BATCH_MATMUL: A [..., M, K] x B [..., K, N] -> Y [..., M, N], ranks 2 to 4.
// The leading batch dims broadcast like numpy (right-aligned, size-1 dims
// repeat), so each output matrix reads one A matrix and one B matrix at
// offsets computed from per-operand batch strides (0 along broadcast dims).
//
// The work is split over output rows (batch x M). A row is accumulated as
// y[m, :] += a[m, k] * b[k, :] for k ascending: both inner reads are
// contiguous, and the float summation order does not depend on the threads.
#include <algorithm>
#include <array>
#include <vector>

#include "backends/reference/broadcast.h"
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

constexpr int kMinOperandRank = 2;
constexpr int kMaxOperandRank = 4;

// Batch strides of `t` (in elements) right-aligned to `batch_rank` output
// batch dims, 0 along dims that `t` lacks or broadcasts.
std::array<int64_t, kMaxRank> batch_strides(const TensorInfo& t, int batch_rank) {
  return broadcast_strides(t, t.rank - 2, batch_rank, t.dim(t.rank - 2) * t.dim(t.rank - 1));
}

class BatchMatmulKernel final : public ReferenceKernel {
 public:
  explicit BatchMatmulKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        rows_(op.input(0).dim(op.input(0).rank - 2)),
        depth_(op.input(0).dim(op.input(0).rank - 1)),
        columns_(op.input(1).dim(op.input(1).rank - 1)) {
    const TensorInfo& y = op.output(0);
    batch_rank_ = y.rank - 2;
    for (int d = 0; d < batch_rank_; ++d) batch_dims_[static_cast<size_t>(d)] = y.dim(d);
    batches_ = dims_product(y, 0, batch_rank_);
    a_strides_ = batch_strides(op.input(0), batch_rank_);
    b_strides_ = batch_strides(op.input(1), batch_rank_);
  }

  Status run() override {
    const size_t total = static_cast<size_t>(batches_ * rows_);
    const size_t tile = static_cast<size_t>(std::max<int64_t>(1, 16384 / std::max<int64_t>(1, depth_ * columns_)));
    parallel_for_tiles(threadpool(), total, tile, [this](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) compute_row(static_cast<int64_t>(i));
    });
    return Status::Ok();
  }

 private:
  // Output row `index` = batch * M + m.
  void compute_row(int64_t index) const {
    int64_t batch = index / rows_;
    const int64_t m = index % rows_;
    int64_t a_offset = 0, b_offset = 0;
    for (int d = batch_rank_ - 1; d >= 0; --d) {
      const auto ud = static_cast<size_t>(d);
      const int64_t position = batch % batch_dims_[ud];
      batch /= batch_dims_[ud];
      a_offset += position * a_strides_[ud];
      b_offset += position * b_strides_[ud];
    }
    const float* a = input(0) + a_offset + m * depth_;
    const float* b = input(1) + b_offset;
    float* y = output(0) + index * columns_;
    std::fill(y, y + columns_, 0.0f);
    for (int64_t k = 0; k < depth_; ++k) {
      const float scale = a[k];
      const float* b_row = b + k * columns_;
      for (int64_t n = 0; n < columns_; ++n) y[n] += scale * b_row[n];
    }
  }

  int64_t rows_, depth_, columns_;  // M, K, N
  int batch_rank_ = 0;
  std::array<int64_t, kMaxRank> batch_dims_{};
  int64_t batches_ = 1;
  std::array<int64_t, kMaxRank> a_strides_{}, b_strides_{};
};

}  // namespace

Status supports_batch_matmul(const OperatorRef& op) {
  const TensorInfo& a = op.input(0);
  const TensorInfo& b = op.input(1);
  for (const TensorInfo* t : {&a, &b}) {
    if (t->rank < kMinOperandRank || t->rank > kMaxOperandRank)
      return op_error(op, "operand " + shape_string(*t) + " must have 2 to 4 dims");
  }
  if (a.dim(a.rank - 1) != b.dim(b.rank - 2))
    return op_error(op, "A " + shape_string(a) + " and B " + shape_string(b) + " disagree on K");
  std::vector<int64_t> out;
  if (!broadcast_leading_dims(a, a.rank - 2, b, b.rank - 2, &out))
    return op_error(op, "batch dims of " + shape_string(a) + " and " + shape_string(b) + " do not broadcast");
  out.push_back(a.dim(a.rank - 2));
  out.push_back(b.dim(b.rank - 1));
  return expect_shape(op, op.output(0), out, "output");
}

Status create_batch_matmul(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<BatchMatmulKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
