// Helpers for the reference-backend tests (no LibTorch here): seeded random
// data, a one-operator model under construction, and element-wise comparison
// with a stated tolerance.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "support/model_builder.h"
#include "support/op_runner.h"

namespace bespoke::test {

// Tolerance of every LibTorch comparison: |actual - expected| <= kAtol + kRtol * |expected|.
// LibTorch computes in float64, the reference backend in float32 (with float
// accumulation in convolutions and dot products), so this is float rounding headroom.
inline constexpr double kRtol = 1e-4;
inline constexpr double kAtol = 1e-5;

inline size_t element_count(const std::vector<int32_t>& shape) {
  size_t count = 1;
  for (int32_t d : shape) count *= static_cast<size_t>(d);
  return count;
}

// Uniform values in [low, high), reproducible from `seed`.
inline std::vector<float> random_values(size_t count, uint32_t seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> values(count);
  for (float& v : values) v = dist(engine);
  return values;
}

inline std::string shape_text(const std::vector<int32_t>& shape) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << "]";
  return out.str();
}

// CHECKs that `actual` matches `expected` within the tolerance; on failure
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

// A model with exactly one operator, built step by step, then run on a backend.
class SingleOpModel {
 public:
  ModelBuilder& builder() { return builder_; }
  flatbuffers::FlatBufferBuilder& fbb() { return builder_.fbb(); }

  // A graph input with the given values (logical NCHW order).
  int input(const std::vector<int32_t>& shape, std::vector<float> values) {
    REQUIRE(values.size() == element_count(shape));
    inputs_.push_back(std::move(values));
    return builder_.add_input("in" + std::to_string(inputs_.size() - 1), shape);
  }
  int constant(const std::vector<int32_t>& shape, const std::vector<float>& values) {
    REQUIRE(values.size() == element_count(shape));
    return builder_.add_constant("const" + std::to_string(next_name_++), shape, values);
  }
  int output(const std::vector<int32_t>& shape) {
    const int t = builder_.add_tensor("out" + std::to_string(next_name_++), shape);
    builder_.mark_output(t);
    return t;
  }
  void op(fb::OpCode code, const std::vector<int32_t>& inputs, const std::vector<int32_t>& outputs,
          fb::OperatorOptions type = fb::OperatorOptions::NONE, flatbuffers::Offset<void> options = 0) {
    builder_.add_op(code, inputs, outputs, type, options, "op");
  }

  // Runs on `backend` (the reference backend by default) and REQUIREs success.
  std::vector<std::vector<float>> run(int num_threads = 1, rt::Backend* backend = nullptr) {
    OpRunResult result = try_run(num_threads, backend);
    INFO(result.status.message());
    REQUIRE(result.status.ok());
    return result.outputs;
  }
  OpRunResult try_run(int num_threads = 1, rt::Backend* backend = nullptr) {
    std::unique_ptr<rt::Backend> reference;
    if (backend == nullptr) {
      reference = rt::make_reference_backend();
      backend = reference.get();
    }
    return run_single_op(*backend, bytes(), inputs_, num_threads);
  }

  // The finished .bspk file (the model cannot change after this).
  const std::vector<uint8_t>& bytes() {
    if (model_.empty()) model_ = builder_.finish();
    return model_;
  }

 private:
  ModelBuilder builder_;
  std::vector<std::vector<float>> inputs_;
  std::vector<uint8_t> model_;
  int next_name_ = 0;
};

}  // namespace bespoke::test
