// StridedCopy: copies a box of `dims` elements from `in` to `out`, each side
// with its own per-dim element strides and base offset. TRANSPOSE (permuted
// input strides), SLICE (stepped input strides, offset start) and PAD (the
// input written into the interior of the output) are all this copy.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "backends/reference/kernel_base.h"
#include "backends/reference/parallel.h"
#include "backends/reference/strided_shape.h"

namespace bespoke::rt::reference {

struct StridedSide {
  std::array<int64_t, kMaxRank> strides{};
  int64_t base = 0;
};

class StridedCopy {
 public:
  StridedCopy() = default;
  StridedCopy(const std::array<int64_t, kMaxRank>& dims, int rank, const StridedSide& in, const StridedSide& out)
      : in_base_(in.base), out_base_(out.base) {
    shape_.rank = rank > 0 ? rank : 1;
    shape_.dims = dims;
    if (rank == 0) shape_.dims[0] = 1;
    shape_.strides[kIn] = in.strides;
    shape_.strides[kOut] = out.strides;
    shape_.coalesce();
  }

  // The common case: the output is `dims` itself, contiguous.
  static StridedSide contiguous(const std::array<int64_t, kMaxRank>& dims, int rank) {
    return StridedSide{contiguous_strides(dims, rank), 0};
  }

  void run(pthreadpool_t pool, const float* in, float* out) const {
    const int64_t inner = shape_.inner();
    const int64_t in_stride = shape_.inner_stride(kIn), out_stride = shape_.inner_stride(kOut);
    const size_t tile = static_cast<size_t>(std::max<int64_t>(1, 4096 / inner));
    parallel_for_tiles(pool, static_cast<size_t>(shape_.rows()), tile, [&](size_t begin, size_t end) {
      std::array<int64_t, 2> offsets;
      for (size_t row = begin; row < end; ++row) {
        shape_.row_offsets(static_cast<int64_t>(row), offsets);
        const float* src = in + in_base_ + offsets[kIn];
        float* dst = out + out_base_ + offsets[kOut];
        if (in_stride == 1 && out_stride == 1) {
          std::copy(src, src + inner, dst);
        } else {
          for (int64_t i = 0; i < inner; ++i) dst[i * out_stride] = src[i * in_stride];
        }
      }
    });
  }

 private:
  enum Operand { kIn = 0, kOut = 1 };
  StridedShape<2> shape_;
  int64_t in_base_ = 0, out_base_ = 0;
};

// A kernel that is one strided read of input 0 into the contiguous output:
// TRANSPOSE and SLICE differ only in the `source` side they describe.
class StridedGatherKernel final : public ReferenceKernel {
 public:
  StridedGatherKernel(const OperatorRef& op, const StridedSide& source)
      : ReferenceKernel(op),
        copy_(op.output(0).dims, op.output(0).rank, source,
              StridedCopy::contiguous(op.output(0).dims, op.output(0).rank)) {}

  Status run() override {
    copy_.run(threadpool(), input(0), output(0));
    return Status::Ok();
  }

 private:
  StridedCopy copy_;
};

}  // namespace bespoke::rt::reference
