#include "tensor_io/host_tensor.h"

namespace bespoke::tools {

bool checked_element_count(const std::vector<int64_t>& dims, uint64_t limit, uint64_t* count) {
  uint64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) return false;
    if (d == 0) {
      n = 0;
      continue;
    }
    if (n > limit / static_cast<uint64_t>(d)) return false;
    n *= static_cast<uint64_t>(d);
  }
  *count = n;
  return true;
}

std::string dims_string(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i > 0 ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

}  // namespace bespoke::tools
