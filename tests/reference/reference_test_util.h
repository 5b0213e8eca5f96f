// Helpers for the reference-backend tests (no LibTorch here): seeded random
// data (support/test_values.h), a one-operator model under construction
// (support/single_op_model.h), element-wise comparison with a stated
// tolerance (support/compare.h), and shape_text for messages.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "support/compare.h"
#include "support/model_builder.h"
#include "support/op_runner.h"
#include "support/single_op_model.h"
#include "support/test_values.h"

namespace bespoke::test {

// Tolerance of every LibTorch comparison: check_close's default kRtol / kAtol
// (support/compare.h). LibTorch computes in float64, the reference backend in
// float32 (with float accumulation in convolutions and dot products), so
// float rounding headroom is enough.

inline std::string shape_text(const std::vector<int32_t>& shape) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << "]";
  return out.str();
}

}  // namespace bespoke::test
