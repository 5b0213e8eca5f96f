#include "harness/compare.h"

#include <cmath>
#include <cstdio>

namespace bespoke::test::e2e {
namespace {

bool within(float a, float e, const Tolerance& tol) {
  if (std::isnan(e)) return std::isnan(a);
  if (std::isinf(e)) return a == e;
  if (!std::isfinite(a)) return false;
  return std::fabs(static_cast<double>(a) - e) <= tol.atol + tol.rtol * std::fabs(static_cast<double>(e));
}

}  // namespace

Comparison compare_tensors(const FloatTensor& actual, const FloatTensor& expected, const Tolerance& tol) {
  Comparison c;
  if (actual.shape != expected.shape) {
    c.summary = "shape " + shape_to_string(actual.shape) + " != expected " + shape_to_string(expected.shape);
    return c;
  }
  if (actual.values.size() != expected.values.size()) {
    c.summary = "value count " + std::to_string(actual.values.size()) + " != expected " +
                std::to_string(expected.values.size());
    return c;
  }
  double worst_excess = -1;
  for (size_t i = 0; i < actual.values.size(); ++i) {
    const float a = actual.values[i], e = expected.values[i];
    const double err = std::fabs(static_cast<double>(a) - e);
    if (std::isfinite(err) && err > c.max_abs_error) c.max_abs_error = err;
    if (within(a, e, tol)) continue;
    ++c.mismatches;
    // Rank violations by how far they exceed their own bound (NaN/inf first).
    const double excess =
        std::isfinite(err) ? err - (tol.atol + tol.rtol * std::fabs(static_cast<double>(e))) : INFINITY;
    if (excess > worst_excess) {
      worst_excess = excess;
      c.worst_index = i;
    }
  }
  c.ok = c.mismatches == 0;
  char line[256];
  if (c.ok) {
    std::snprintf(line, sizeof line, "ok, max |err| %.3g over %zu values", c.max_abs_error, actual.values.size());
  } else {
    std::snprintf(line, sizeof line, "%zu of %zu values off (rtol %g, atol %g); worst at %zu: got %.7g, expected %.7g",
                  c.mismatches, actual.values.size(), tol.rtol, tol.atol, c.worst_index,
                  static_cast<double>(actual.values[c.worst_index]),
                  static_cast<double>(expected.values[c.worst_index]));
  }
  c.summary = line;
  return c;
}

}  // namespace bespoke::test::e2e
