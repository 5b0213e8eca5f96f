// Element-wise comparison of a computed tensor with a reference tensor.
// An element passes when |actual - expected| <= atol + rtol * |expected|
// (numpy.isclose semantics); NaN matches NaN, an infinity matches the same
// infinity. Shapes must be identical.
#pragma once

#include <cstddef>
#include <string>

#include "harness/float_tensor.h"

namespace bespoke::test::e2e {

struct Tolerance {
  double rtol = 1e-3;
  double atol = 1e-4;
};

struct Comparison {
  bool ok = false;
  size_t mismatches = 0;     // elements outside the tolerance
  double max_abs_error = 0;  // over finite elements
  size_t worst_index = 0;    // flat index of the largest violation (or largest error)
  std::string summary;       // one line: shape problem, or counts and the worst element
};

Comparison compare_tensors(const FloatTensor& actual, const FloatTensor& expected, const Tolerance& tol);

}  // namespace bespoke::test::e2e
