// Helpers for the XNNPACK backend tests: a one-operator model under
// construction that is run on the reference backend (the expected values)
// and on the XNNPACK backend with 1 and 2 threads.
//
// Tolerance: |xnnpack - reference| <= kAtol + kRtol * |reference| with
// rtol 1e-4, atol 1e-5. XNNPACK sums in a different order than the reference
// (blocked GEMM, FMA where the CPU has it) and uses few-ulp approximations of
// exp/sigmoid, so results are equal only up to float rounding.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/verifier.h"
#include "support/model_builder.h"
#include "support/op_runner.h"

namespace bespoke::test {

inline constexpr double kRtol = 1e-4;
inline constexpr double kAtol = 1e-5;

// One backend instance per test binary (creation runs xnn_initialize once).
inline rt::Backend& xnnpack_backend() {
  static std::unique_ptr<rt::Backend> backend = rt::make_xnnpack_backend();
  REQUIRE(backend != nullptr);
  return *backend;
}
inline rt::Backend& reference_backend() {
  static std::unique_ptr<rt::Backend> backend = rt::make_reference_backend();
  REQUIRE(backend != nullptr);
  return *backend;
}

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

// CHECKs that `actual` matches `expected` within the tolerance; reports the
// number of mismatches and the worst one.
inline void check_close(const std::vector<float>& actual, const std::vector<float>& expected) {
  REQUIRE(actual.size() == expected.size());
  size_t mismatches = 0, worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], e = expected[i];
    const double error = std::fabs(a - e);
    const double excess = std::isnan(error) ? 1e300 : error - (kAtol + kRtol * std::fabs(e));
    const bool ok = std::isinf(e) ? a == e : excess <= 0.0;
    if (ok) continue;
    ++mismatches;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst = i;
    }
  }
  INFO("mismatches: " << mismatches << " of " << actual.size() << "; worst at " << worst << ": xnnpack "
                      << actual[worst] << ", reference " << expected[worst]);
  CHECK(mismatches == 0);
}

class OpCase {
 public:
  flatbuffers::FlatBufferBuilder& fbb() { return builder_.fbb(); }

  // A graph input with seeded random values in [low, high).
  int input(const std::vector<int32_t>& shape, float low = -1.0f, float high = 1.0f) {
    return input_values(shape, random_values(element_count(shape), next_seed_++, low, high));
  }
  int input_values(const std::vector<int32_t>& shape, std::vector<float> values) {
    REQUIRE(values.size() == element_count(shape));
    inputs_.push_back(std::move(values));
    return builder_.add_input("in" + std::to_string(inputs_.size() - 1), shape);
  }
  int constant(const std::vector<int32_t>& shape, float low = -1.0f, float high = 1.0f) {
    return constant_values(shape, random_values(element_count(shape), next_seed_++, low, high));
  }
  int constant_values(const std::vector<int32_t>& shape, const std::vector<float>& values) {
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

  // Verifies the model (REQUIREs success) and asks XNNPACK's supports().
  bool xnnpack_supports() {
    finish();
    op_runner_detail::AlignedBytes file(model_.size(), 0);
    std::memcpy(file.data(), model_.data(), model_.size());
    rt::ModelView view;
    const rt::Status status = rt::verify_model(file.data(), model_.size(), &view);
    INFO(status.message());
    REQUIRE(status.ok());
    return xnnpack_backend().supports(view, 0);
  }

  // REQUIREs XNNPACK support, then runs the reference backend and XNNPACK
  // with 1 and 2 threads: both XNNPACK runs must match the reference, and
  // each other exactly (threads only split the work, never a sum).
  void check_matches_reference() {
    REQUIRE(xnnpack_supports());
    const std::vector<std::vector<float>> expected = run(reference_backend(), 1);
    const std::vector<std::vector<float>> single = run(xnnpack_backend(), 1);
    const std::vector<std::vector<float>> dual = run(xnnpack_backend(), 2);
    REQUIRE(single.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      INFO("output " << i << ", 1 thread");
      check_close(single[i], expected[i]);
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      INFO("output " << i << ", 2 threads");
      check_close(dual[i], expected[i]);
      CHECK(dual[i] == single[i]);
    }
  }

  // Runs on XNNPACK only (for cases checked against hand-computed values).
  std::vector<std::vector<float>> run_xnnpack(int num_threads = 1) { return run(xnnpack_backend(), num_threads); }

 private:
  void finish() {
    if (model_.empty()) model_ = builder_.finish();
  }
  std::vector<std::vector<float>> run(rt::Backend& backend, int num_threads) {
    finish();
    OpRunResult result = run_single_op(backend, model_, inputs_, num_threads);
    INFO(backend.name() << ": " << result.status.message());
    REQUIRE(result.status.ok());
    return result.outputs;
  }

  ModelBuilder builder_;
  std::vector<std::vector<float>> inputs_;
  std::vector<uint8_t> model_;
  uint32_t next_seed_ = 1;
  int next_name_ = 0;
};

// Shorthands for fused activations.
inline fb::FusedActivation no_activation() { return fb::FusedActivation(fb::ActivationType::NONE, 0.0f, 0.0f); }
inline fb::FusedActivation relu_activation() { return fb::FusedActivation(fb::ActivationType::RELU, 0.0f, 0.0f); }
inline fb::FusedActivation clip_activation(float min, float max) {
  return fb::FusedActivation(fb::ActivationType::CLIP, min, max);
}

}  // namespace bespoke::test
