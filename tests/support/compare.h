// check_close: the element-wise comparison of a backend's float outputs
// with expected values (another backend's or LibTorch's) within
// |actual - expected| <= atol + rtol * |expected|. The default tolerance
// (kRtol, kAtol) is float rounding headroom: the same fp32 math summed in a
// different order, or few-ulp approximations of exp and friends. Each util
// header that uses it says why that suffices for its backend.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

namespace bespoke::test {

inline constexpr double kRtol = 1e-4;
inline constexpr double kAtol = 1e-5;

// CHECKs that `actual` matches `expected` within the tolerance (an expected
// NaN wants a NaN, an expected infinity the same infinity); on failure
// reports how many elements differ and the worst one.
inline void check_close(const std::vector<float>& actual, const std::vector<float>& expected, double rtol = kRtol,
                        double atol = kAtol) {
  REQUIRE(actual.size() == expected.size());
  size_t mismatches = 0, worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], e = expected[i];
    const double allowed = atol + rtol * std::fabs(e);
    const double error = std::fabs(a - e);
    const bool ok = std::isnan(e) ? std::isnan(a) : (std::isinf(e) ? a == e : error <= allowed);
    if (ok) continue;
    ++mismatches;
    const double excess = std::isnan(error) ? 1e300 : error - allowed;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  INFO("mismatches: " << mismatches << " of " << actual.size() << "; worst at " << worst << ": actual "
                      << (actual.empty() ? 0.0f : actual[worst]) << ", expected "
                      << (expected.empty() ? 0.0f : expected[worst]));
  CHECK(mismatches == 0);
}

}  // namespace bespoke::test
