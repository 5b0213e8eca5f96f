// LibTorch glue for the reference-backend tests: float vectors <-> float64
// ATen tensors (the comparisons compute the expected values in double).
#pragma once

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstdint>
#include <vector>

namespace bespoke::test {

inline std::vector<int64_t> sizes_of(const std::vector<int32_t>& shape) {
  return std::vector<int64_t>(shape.begin(), shape.end());
}

// A float64 tensor holding `values` (row-major) with `shape`.
inline at::Tensor to_tensor(const std::vector<float>& values, const std::vector<int32_t>& shape) {
  at::Tensor t = at::empty(sizes_of(shape), at::TensorOptions().dtype(at::kFloat));
  std::copy(values.begin(), values.end(), t.data_ptr<float>());
  return t.to(at::kDouble);
}

// Values of `t` in row-major order, as float.
inline std::vector<float> to_vector(const at::Tensor& t) {
  at::Tensor f = t.to(at::kFloat).contiguous();
  return std::vector<float>(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
}

inline std::vector<int32_t> shape_of(const at::Tensor& t) {
  std::vector<int32_t> shape;
  for (int64_t d : t.sizes()) shape.push_back(static_cast<int32_t>(d));
  return shape;
}

// LibTorch starts with one intra-op thread here; pin it so runs are reproducible.
struct TorchSingleThread {
  TorchSingleThread() { at::set_num_threads(1); }
};

}  // namespace bespoke::test
