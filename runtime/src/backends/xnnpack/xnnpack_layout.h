// Tensor layout helpers of the XNNPACK backend. The backend keeps rank-4
// tensors in NHWC; tensors of any other rank are row-major in logical order
// (see backends/backend.h). "Memory order" below means the order of the
// dimensions as stored in memory: [N, H, W, C] for a rank-4 [N, C, H, W].
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

struct Shape {
  int rank = 0;
  std::array<size_t, kMaxRank> dims{};

  size_t operator[](int i) const { return dims[static_cast<size_t>(i)]; }
  size_t& operator[](int i) { return dims[static_cast<size_t>(i)]; }
  size_t count() const;
  // Product of dims [begin, end).
  size_t product(int begin, int end) const;
};

Shape logical_shape(const TensorInfo& tensor);
// `shape` with leading 1s prepended up to `rank` (numpy broadcasting alignment).
Shape expand_to_rank(const Shape& shape, int rank);

// Position in memory order of logical axis `axis` of a rank-`rank` tensor.
int memory_position(int rank, int axis);
// Logical axes in the order they are stored: [0, 2, 3, 1] for rank 4.
std::vector<int> axes_in_memory_order(int rank);
// Dims in memory order (NHWC for rank 4).
Shape memory_shape(const Shape& logical);
inline Shape memory_shape(const TensorInfo& tensor) { return memory_shape(logical_shape(tensor)); }

// True when NHWC and NCHW orders of a rank-4 shape put the elements in the
// same memory order (C == 1 or H * W == 1); always true for other ranks.
bool layout_invariant(const Shape& logical);
inline bool layout_invariant(const TensorInfo& tensor) { return layout_invariant(logical_shape(tensor)); }

// Reorders [n, c, hw] row-major data into [n, hw, c].
void nchw_to_nhwc(const float* src, size_t n, size_t c, size_t hw, float* dst);

// A constant tensor's data copied into kernel storage. With `nhwc`, the data
// (read as logical shape `as_shape`, which must be rank 4 with the tensor's
// element count) is reordered to NHWC; otherwise copied as is.
FloatBuffer constant_in_memory_order(const TensorInfo& tensor, const Shape& as_shape, bool nhwc);
// The constant as a kernel of this backend would receive it: NHWC if rank 4.
FloatBuffer constant_in_memory_order(const TensorInfo& tensor);

}  // namespace bespoke::rt::xnnpack
