// Shared by the oneDNN backend tests: deterministic random data, and the
// comparison of the oneDNN backend against the reference backend on a
// one-operator model (through tests/support/op_runner.h, which also takes
// care of the NHWC layout).
//
// Tolerance: |onednn - reference| <= kAtol + kRtol * |reference| with
// kRtol = 1e-4 and kAtol = 1e-5. Both backends compute in fp32 but sum in
// different orders (blocked JIT kernels vs. plain loops) and oneDNN's
// exp/tanh/logistic are polynomial approximations of a few ulp; no algorithm
// with a larger error (Winograd, bf16 math) is ever selected.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "backends/backend.h"
#include "core/verifier.h"
#include "support/model_builder.h"
#include "support/op_runner.h"
#include "support/reference_backend.h"
#include "support/test_values.h"

namespace bespoke::test::onednn {

namespace fb = bespoke::fb;
namespace rt = bespoke::rt;

inline constexpr float kRtol = 1e-4f;
inline constexpr float kAtol = 1e-5f;

// One backend instance per test process (support/reference_backend.h has the
// reference backend).
inline rt::Backend& onednn_backend() {
  static std::unique_ptr<rt::Backend> backend = rt::make_onednn_backend();
  REQUIRE_MESSAGE(backend != nullptr, "make_onednn_backend() returned nullptr on this CPU");
  return *backend;
}

// Whether the oneDNN backend accepts operator 0 of `model` (which must verify).
inline bool onednn_supports(const std::vector<uint8_t>& model) {
  // verify_model wants 8-byte aligned data that outlives the view.
  std::vector<uint64_t> aligned((model.size() + 7) / 8);
  std::memcpy(aligned.data(), model.data(), model.size());
  rt::ModelView view;
  const rt::Status status = rt::verify_model(aligned.data(), model.size(), &view);
  REQUIRE_MESSAGE(status.ok(), status.message());
  return onednn_backend().supports(view, 0);
}

// Index and values of the first element outside tolerance, or "" if none.
inline std::string first_mismatch(const std::vector<float>& actual, const std::vector<float>& expected) {
  if (actual.size() != expected.size())
    return "size " + std::to_string(actual.size()) + " vs " + std::to_string(expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const float limit = kAtol + kRtol * std::fabs(expected[i]);
    if (!(std::fabs(actual[i] - expected[i]) <= limit)) {
      std::ostringstream message;
      message << "element " << i << ": onednn " << actual[i] << " vs reference " << expected[i];
      return message.str();
    }
  }
  return "";
}

// Runs operator 0 of `model` on the reference backend and on oneDNN with 1
// and 2 threads: every output must match the reference within tolerance, and
// the 2-thread run the 1-thread run (in practice they are bit-identical).
inline void expect_matches_reference(const std::vector<uint8_t>& model, const std::vector<std::vector<float>>& inputs) {
  REQUIRE(onednn_supports(model));
  const OpRunResult expected = run_single_op(reference_backend(), model, inputs, 1);
  REQUIRE_MESSAGE(expected.status.ok(), "reference: " << expected.status.message());
  std::vector<std::vector<float>> single_thread;
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    const OpRunResult actual = run_single_op(onednn_backend(), model, inputs, threads);
    REQUIRE_MESSAGE(actual.status.ok(), "onednn: " << actual.status.message());
    REQUIRE(actual.outputs.size() == expected.outputs.size());
    for (size_t i = 0; i < actual.outputs.size(); ++i) {
      CAPTURE(i);
      const std::string mismatch = first_mismatch(actual.outputs[i], expected.outputs[i]);
      CHECK_MESSAGE(mismatch.empty(), mismatch);
      if (threads == 2) {
        const std::string thread_mismatch = first_mismatch(actual.outputs[i], single_thread[i]);
        CHECK_MESSAGE(thread_mismatch.empty(), "2 threads vs 1: " << thread_mismatch);
      }
    }
    if (threads == 1) single_thread = actual.outputs;
  }
}

inline fb::FusedActivation relu_activation() { return fb::FusedActivation(fb::ActivationType::RELU, 0.0f, 0.0f); }
inline fb::FusedActivation clip_activation(float low, float high) {
  return fb::FusedActivation(fb::ActivationType::CLIP, low, high);
}

}  // namespace bespoke::test::onednn
