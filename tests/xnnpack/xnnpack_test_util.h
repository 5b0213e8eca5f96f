// Helpers for the XNNPACK backend tests: a one-operator model under
// construction that is run on the reference backend (the expected values)
// and on the XNNPACK backend with 1 and 2 threads.
//
// Tolerance: check_close's default (support/compare.h), |xnnpack - reference|
// <= kAtol + kRtol * |reference| with rtol 1e-4, atol 1e-5. XNNPACK sums in a
// different order than the reference (blocked GEMM, FMA where the CPU has it)
// and uses few-ulp approximations of exp/sigmoid, so results are equal only
// up to float rounding.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/verifier.h"
#include "support/compare.h"
#include "support/model_builder.h"
#include "support/op_runner.h"
#include "support/reference_backend.h"
#include "support/single_op_model.h"
#include "support/test_values.h"

namespace bespoke::test {

// One backend instance per test binary (creation runs xnn_initialize once).
inline rt::Backend& xnnpack_backend() {
  static std::unique_ptr<rt::Backend> backend = rt::make_xnnpack_backend();
  REQUIRE(backend != nullptr);
  return *backend;
}

// A SingleOpModel whose inputs and constants can also be seeded random values
// (seeds 1, 2, ... in the order they are added).
class OpCase : private SingleOpModel {
 public:
  using SingleOpModel::fbb;
  using SingleOpModel::op;
  using SingleOpModel::output;

  // A graph input with seeded random values in [low, high).
  int input(const std::vector<int32_t>& shape, float low = -1.0f, float high = 1.0f) {
    return input_values(shape, random_values(element_count(shape), next_seed_++, low, high));
  }
  int input_values(const std::vector<int32_t>& shape, std::vector<float> values) {
    return SingleOpModel::input(shape, std::move(values));
  }
  int constant(const std::vector<int32_t>& shape, float low = -1.0f, float high = 1.0f) {
    return constant_values(shape, random_values(element_count(shape), next_seed_++, low, high));
  }
  int constant_values(const std::vector<int32_t>& shape, const std::vector<float>& values) {
    return SingleOpModel::constant(shape, values);
  }

  // Verifies the model (REQUIREs success) and asks XNNPACK's supports().
  bool xnnpack_supports() {
    const std::vector<uint8_t>& model = bytes();
    op_runner_detail::AlignedBytes file(model.size(), 0);
    std::memcpy(file.data(), model.data(), model.size());
    rt::ModelView view;
    const rt::Status status = rt::verify_model(file.data(), model.size(), &view);
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
  std::vector<std::vector<float>> run(rt::Backend& backend, int num_threads) {
    return SingleOpModel::run(num_threads, &backend);
  }

  uint32_t next_seed_ = 1;
};

// Shorthands for fused activations.
inline fb::FusedActivation no_activation() { return fb::FusedActivation(fb::ActivationType::NONE, 0.0f, 0.0f); }
inline fb::FusedActivation relu_activation() { return fb::FusedActivation(fb::ActivationType::RELU, 0.0f, 0.0f); }
inline fb::FusedActivation clip_activation(float min, float max) {
  return fb::FusedActivation(fb::ActivationType::CLIP, min, max);
}

}  // namespace bespoke::test
