// Comparison tolerances of the conformance suite: one default, and named
// per-test exceptions, each with the reason it is needed.
#pragma once

#include <string>

#include "harness/compare.h"

namespace bespoke::test::conformance {

// Default: rtol 1e-3, atol 1e-4. float32 kernels that reorder sums
// (blocked/vectorized GEMM, Winograd, fused activations) differ from the
// numpy/PyTorch float32 reference by a few ulps per accumulation; 1e-3
// relative covers reductions of thousands of terms with margin while still
// catching any semantic error (wrong padding, layout, broadcasting...).
test::e2e::Tolerance tolerance_for(const std::string& test_name);

}  // namespace bespoke::test::conformance
