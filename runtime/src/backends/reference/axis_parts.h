// AxisParts: CONCAT and SPLIT are one copy seen from either side — a "joined"
// tensor viewed as [outer, total, inner] around an axis, and parts viewed as
// [outer, size_i, inner]. for_each_chunk() enumerates the contiguous chunks to
// copy; check_axis_parts() validates the shapes of either operator.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

struct AxisParts {
  int64_t outer = 1, inner = 1, total = 0;
  std::vector<int64_t> sizes;  // per part, along the axis

  AxisParts(const TensorInfo& joined, int axis, const std::vector<const TensorInfo*>& parts) {
    outer = dims_product(joined, 0, axis);
    inner = dims_product(joined, axis + 1, joined.rank);
    total = joined.dim(axis);
    for (const TensorInfo* part : parts) sizes.push_back(part->dim(axis));
  }

  // fn(part, joined_offset, part_offset, count): element offsets of one contiguous chunk.
  template <typename Fn>
  void for_each_chunk(const Fn& fn) const {
    for (int64_t o = 0; o < outer; ++o) {
      int64_t position = 0;
      for (size_t p = 0; p < sizes.size(); ++p) {
        fn(p, (o * total + position) * inner, o * sizes[p] * inner, sizes[p] * inner);
        position += sizes[p];
      }
    }
  }
};

// `joined` and every part have the same rank and dims except along `axis`,
// the parts' sizes along `axis` sum to the joined size. `axis` is checked too.
Status check_axis_parts(const OperatorRef& op, const TensorInfo& joined, int axis,
                        const std::vector<const TensorInfo*>& parts, const char* part_role);

}  // namespace bespoke::rt::reference
