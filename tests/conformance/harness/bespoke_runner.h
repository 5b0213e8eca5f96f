// Runs a .bspk model through the public C API (bespoke.h) exactly as an
// embedding application would: load from memory, create a session for one
// backend and thread count, set float inputs, run, copy float outputs.
// Outcomes distinguish "this backend/build does not support the model"
// (BSP_ERROR_UNSUPPORTED) from real errors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bespoke/bespoke.h"
#include "harness/float_tensor.h"

namespace bespoke::test::e2e {

struct BackendChoice {
  std::string name;  // "reference", "xnnpack", "onednn", "auto", "auto x2"
  bsp_backend id;
  int threads = 1;  // for harnesses that run a fixed list of choices
};

// The backends bsp_available_backends() reports, in its order.
std::vector<BackendChoice> available_backends();

// available_backends() plus `auto` (the default, behind the headline numbers)
// with one thread and with two, where it routes differently (one backend).
std::vector<BackendChoice> backends_under_test();

// "BSP_ERROR_UNSUPPORTED: <bsp_last_error_message()>".
std::string describe_failure(bsp_status status);

struct ModelDeleter {
  void operator()(bsp_model* m) const { bsp_model_destroy(m); }
};
using ModelHandle = std::unique_ptr<bsp_model, ModelDeleter>;

enum class RunStatus { kOk, kUnsupported, kError };

struct RunOutcome {
  RunStatus status = RunStatus::kError;
  std::string message;       // why, when not kOk
  std::string backend_used;  // bsp_session_backend()
  // Which backend ran the operators: "onednn 12, xnnpack 3" (names sorted),
  // from the session's per-operator profile. A pass that ran on the
  // reference fallback shows up here, not only in backend_used.
  std::string operators_by_backend;
  std::vector<FloatTensor> outputs;  // in model output order
};

// Loads (and copies) a serialized model. On failure returns null and sets
// `status` / `message`.
ModelHandle load_model(const std::vector<uint8_t>& bytes, bsp_status* status, std::string* message);

// Names of the model's inputs / outputs in order.
std::vector<std::string> input_names(const bsp_model* model);
std::vector<std::string> output_names(const bsp_model* model);

// One session, `runs` runs (outputs of the last), destroyed on return.
// Inputs are matched by position and must have the model's input shapes.
RunOutcome run_model(const bsp_model* model, const BackendChoice& backend, int threads,
                     const std::vector<FloatTensor>& inputs, int runs = 1);

}  // namespace bespoke::test::e2e
