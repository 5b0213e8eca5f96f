// NumPy broadcasting as the reference kernels use it: ADD/SUB/MUL/DIV over
// whole tensors, BATCH_MATMUL over the batch dims in front of its matrices.
// Operands are right-aligned; a dim broadcasts when it is 1 or missing.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/model_view.h"

namespace bespoke::rt::reference {

// The broadcast of the leading `a_rank` dims of `a` with the leading `b_rank`
// dims of `b`; false if some pair is unequal and neither is 1.
inline bool broadcast_leading_dims(const TensorInfo& a, int a_rank, const TensorInfo& b, int b_rank,
                                   std::vector<int64_t>* out) {
  const int rank = std::max(a_rank, b_rank);
  out->assign(static_cast<size_t>(rank), 1);
  for (int d = 0; d < rank; ++d) {
    const int da = d - (rank - a_rank), db = d - (rank - b_rank);
    const int64_t ea = da >= 0 ? a.dim(da) : 1, eb = db >= 0 ? b.dim(db) : 1;
    if (ea != eb && ea != 1 && eb != 1) return false;
    (*out)[static_cast<size_t>(d)] = std::max(ea, eb);
  }
  return true;
}

// Element strides of the leading `t_rank` dims of `t`, right-aligned to
// `rank` broadcast dims, 0 along dims that broadcast; `inner` is the stride
// of dim t_rank - 1 (1 for whole tensors, M*K for a stack of matrices).
inline std::array<int64_t, kMaxRank> broadcast_strides(const TensorInfo& t, int t_rank, int rank, int64_t inner = 1) {
  std::array<int64_t, kMaxRank> strides{};
  int64_t stride = inner;
  for (int d = t_rank - 1; d >= 0; --d) {
    strides[static_cast<size_t>(d + rank - t_rank)] = t.dim(d) == 1 ? 0 : stride;
    stride *= t.dim(d);
  }
  return strides;
}

}  // namespace bespoke::rt::reference
