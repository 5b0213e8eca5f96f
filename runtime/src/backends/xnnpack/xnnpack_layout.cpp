#include "backends/xnnpack/xnnpack_layout.h"

#include <cstring>

namespace bespoke::rt::xnnpack {

size_t Shape::count() const { return product(0, rank); }

size_t Shape::product(int begin, int end) const {
  size_t result = 1;
  for (int i = begin; i < end; ++i) result *= (*this)[i];
  return result;
}

Shape logical_shape(const TensorInfo& tensor) {
  Shape shape;
  shape.rank = tensor.rank;
  for (int i = 0; i < tensor.rank; ++i) shape[i] = static_cast<size_t>(tensor.dim(i));
  return shape;
}

Shape expand_to_rank(const Shape& shape, int rank) {
  Shape expanded;
  expanded.rank = rank;
  const int offset = rank - shape.rank;
  for (int i = 0; i < rank; ++i) expanded[i] = i < offset ? 1 : shape[i - offset];
  return expanded;
}

int memory_position(int rank, int axis) {
  if (rank != 4) return axis;
  static constexpr int kNhwcPosition[4] = {0, 3, 1, 2};  // N, C, H, W -> position in NHWC
  return kNhwcPosition[axis];
}

std::vector<int> axes_in_memory_order(int rank) {
  std::vector<int> axes(static_cast<size_t>(rank));
  for (int axis = 0; axis < rank; ++axis) axes[static_cast<size_t>(memory_position(rank, axis))] = axis;
  return axes;
}

Shape memory_shape(const Shape& logical) {
  Shape stored = logical;
  if (logical.rank == 4) {
    for (int axis = 0; axis < 4; ++axis) stored[memory_position(4, axis)] = logical[axis];
  }
  return stored;
}

bool layout_invariant(const Shape& logical) {
  return logical.rank != 4 || logical[1] == 1 || logical[2] * logical[3] == 1;
}

void nchw_to_nhwc(const float* src, size_t n, size_t c, size_t hw, float* dst) {
  for (size_t b = 0; b < n; ++b) {
    const float* image = src + b * c * hw;
    float* out = dst + b * c * hw;
    for (size_t ch = 0; ch < c; ++ch) {
      for (size_t p = 0; p < hw; ++p) out[p * c + ch] = image[ch * hw + p];
    }
  }
}

FloatBuffer constant_in_memory_order(const TensorInfo& tensor, const Shape& as_shape, bool nhwc) {
  FloatBuffer buffer(tensor.element_count);
  const auto* src = static_cast<const float*>(tensor.constant);
  if (nhwc && !layout_invariant(as_shape)) {
    nchw_to_nhwc(src, as_shape[0], as_shape[1], as_shape[2] * as_shape[3], buffer.data());
  } else if (tensor.element_count != 0) {
    std::memcpy(buffer.data(), src, tensor.element_count * sizeof(float));
  }
  return buffer;
}

FloatBuffer constant_in_memory_order(const TensorInfo& tensor) {
  return constant_in_memory_order(tensor, logical_shape(tensor), tensor.rank == 4);
}

}  // namespace bespoke::rt::xnnpack
