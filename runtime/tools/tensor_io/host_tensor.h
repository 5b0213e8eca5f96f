// HostTensor: a named float32 tensor in logical row-major order, as read from
// or written to .npy / ONNX TensorProto (.pb) files by the tools.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::tools {

struct HostTensor {
  std::string name;
  std::vector<int64_t> dims;
  std::vector<float> data;
};

// Product of `dims`, or false if a dim is negative or the product exceeds `limit`.
bool checked_element_count(const std::vector<int64_t>& dims, uint64_t limit, uint64_t* count);

// "[1,3,224,224]"
std::string dims_string(const std::vector<int64_t>& dims);

}  // namespace bespoke::tools
