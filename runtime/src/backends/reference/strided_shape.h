// StridedShape: an iteration space of up to kMaxRank dims shared by several
// operands, each with its own element strides (0 = broadcast along that dim).
// Broadcasting binaries, transpose, slice and reduce-mean all reduce to "walk
// the output rows, with per-operand offsets"; coalesce() first drops unit dims
// and merges neighbouring dims that are contiguous for every operand, so the
// innermost loop is as long as possible.
#pragma once

#include <array>
#include <cstdint>

#include "core/model_view.h"

namespace bespoke::rt::reference {

template <int kOperands>
struct StridedShape {
  int rank = 0;
  std::array<int64_t, kMaxRank> dims{};
  std::array<std::array<int64_t, kMaxRank>, kOperands> strides{};

  void coalesce() {
    int kept = 0;
    for (int d = 0; d < rank; ++d) {
      if (dims[d] == 1) continue;
      if (kept > 0 && mergeable(kept - 1, d)) {
        dims[kept - 1] *= dims[d];
        for (auto& s : strides) s[kept - 1] = s[d];
        continue;
      }
      dims[kept] = dims[d];
      for (auto& s : strides) s[kept] = s[d];
      ++kept;
    }
    if (kept == 0) {  // a single element
      dims[0] = 1;
      for (auto& s : strides) s[0] = 0;
      kept = 1;
    }
    rank = kept;
  }

  // Rows are all dims but the innermost one.
  int64_t rows() const {
    int64_t count = 1;
    for (int d = 0; d + 1 < rank; ++d) count *= dims[d];
    return count;
  }
  int64_t inner() const { return dims[rank - 1]; }
  int64_t inner_stride(int operand) const { return strides[operand][rank - 1]; }

  // Element offset of the first element of `row` for every operand.
  void row_offsets(int64_t row, std::array<int64_t, kOperands>& offsets) const {
    offsets.fill(0);
    for (int d = rank - 2; d >= 0; --d) {
      const int64_t index = row % dims[d];
      row /= dims[d];
      for (int k = 0; k < kOperands; ++k) offsets[k] += index * strides[k][d];
    }
  }

 private:
  // Dim `outer` followed by dim `d` can be one dim when, for every operand,
  // stepping `outer` once equals stepping `d` dims[d] times.
  bool mergeable(int outer, int d) const {
    for (const auto& s : strides)
      if (s[outer] != s[d] * dims[d]) return false;
    return true;
  }
};

// Row-major strides of `dims[0..rank)`.
inline std::array<int64_t, kMaxRank> contiguous_strides(const std::array<int64_t, kMaxRank>& dims, int rank) {
  std::array<int64_t, kMaxRank> strides{};
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= dims[d];
  }
  return strides;
}

}  // namespace bespoke::rt::reference
