// libFuzzer target: a .bspk file from the fuzzer goes through the loader and
// verifier and, when it verifies, through session creation and one run on
// the reference backend with seeded non-zero inputs (all-zero inputs would
// leave most arithmetic unexercised) and, when XNNPACK is compiled in, the
// same run on XNNPACK, whose outputs must agree with the reference: a
// backend computing garbage on some odd but valid model is a bug the
// sanitizers alone would not see. Limits are lowered so every verified input
// runs in milliseconds and within libFuzzer's memory limit; the code paths
// are the same as with the default limits.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "core/model_loader.h"
#include "core/session.h"

namespace {

using namespace bespoke::rt;

// Inputs in [-1, 1): a fixed pattern, so a reported input reproduces.
std::vector<uint8_t> seeded_input(size_t bytes, size_t index) {
  std::vector<uint8_t> out(bytes);
  uint32_t state = 0x9e3779b9u + static_cast<uint32_t>(index);
  for (size_t i = 0; i + 4 <= bytes; i += 4) {
    state = state * 1664525u + 1013904223u;
    const float v = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
    std::memcpy(&out[i], &v, 4);
  }
  return out;
}

// Runs the model once on `kind`; false when the session cannot be made or run.
bool run_on(const ModelView& view, BackendKind kind, std::vector<std::vector<float>>* outputs) {
  SessionOptions options;
  options.backend = kind;
  options.profiling = true;
  std::unique_ptr<Session> session;
  if (!Session::create(view, options, &session).ok()) return false;
  for (size_t i = 0; i < view.inputs().size(); ++i) {
    const std::vector<uint8_t> x = seeded_input(view.tensor(view.inputs()[i]).byte_size, i);
    if (!session->set_input(i, x.data(), x.size()).ok()) return false;
  }
  if (!session->run().ok()) return false;
  for (size_t i = 0; i < view.outputs().size(); ++i) {
    const void* out = nullptr;
    size_t bytes = 0;
    if (!session->output(i, &out, &bytes).ok()) return false;
    outputs->emplace_back(bytes / sizeof(float));
    std::memcpy(outputs->back().data(), out, outputs->back().size() * sizeof(float));
  }
  return true;
}

#if defined(BESPOKE_HAVE_XNNPACK)
// XNNPACK against the reference: each output within 1e-3 of its own scale.
// An output that either backend computes as non-finite, or the reference as
// huge, is not compared: a mutated weight near FLT_MAX overflows somewhere
// inside the model, and then summation order alone decides what comes out
// (a softmax over an infinite logit: the reference's max-subtraction gives
// [0, 1, 0], XNNPACK's NaN; found by this target).
void check_xnnpack_agrees(const ModelView& view, const std::vector<std::vector<float>>& reference) {
  std::vector<std::vector<float>> xnnpack;
  if (!run_on(view, BackendKind::kXnnpack, &xnnpack)) return;
  for (size_t o = 0; o < reference.size(); ++o) {
    double scale = 1;
    bool comparable = true;
    for (float v : reference[o]) {
      comparable = comparable && std::isfinite(v) && std::fabs(v) < 1e6f;
      scale = std::fmax(scale, std::fabs(v));
    }
    for (float v : xnnpack[o]) comparable = comparable && std::isfinite(v);
    if (!comparable || xnnpack[o].size() != reference[o].size()) continue;
    for (size_t i = 0; i < reference[o].size(); ++i) {
      if (std::fabs(static_cast<double>(xnnpack[o][i]) - reference[o][i]) > 1e-3 * scale) {
        std::fprintf(stderr, "XNNPACK output %zu [%zu] = %g, reference %g (scale %g)\n", o, i,
                     static_cast<double>(xnnpack[o][i]), static_cast<double>(reference[o][i]), scale);
        std::abort();
      }
    }
  }
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  VerifyLimits limits;
  limits.max_tensors = 1 << 12;
  limits.max_operators = 1 << 12;
  limits.max_tensor_bytes = 1 << 16;
  limits.max_activation_bytes = 1 << 20;
  std::unique_ptr<LoadedModel> model;
  if (!LoadedModel::from_memory(data, size, true, &model, limits).ok()) return 0;
  std::vector<std::vector<float>> reference;
  if (!run_on(model->view(), BackendKind::kReference, &reference)) return 0;
#if defined(BESPOKE_HAVE_XNNPACK)
  check_xnnpack_agrees(model->view(), reference);
#endif
  return 0;
}
