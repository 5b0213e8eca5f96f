// FloatTensor: a dense float32 tensor (shape + row-major values), the common
// currency of the end-to-end suites: what reference files (.pb, .npy) are
// read into and what a bespoke session's outputs are copied into.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::test::e2e {

struct FloatTensor {
  std::vector<int64_t> shape;  // empty = scalar
  std::vector<float> values;
};

// Product of the dims (1 for a scalar).
int64_t element_count(const std::vector<int64_t>& shape);
// "[1, 3, 224, 224]".
std::string shape_to_string(const std::vector<int64_t>& shape);

}  // namespace bespoke::test::e2e
