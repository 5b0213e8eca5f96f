// libFuzzer target: a .bspk file from the fuzzer goes through the loader and
// verifier and, when it verifies, through session creation and one run on
// the reference backend. Limits are lowered so every verified input runs in
// milliseconds and within libFuzzer's memory limit; the code paths are the
// same as with the default limits.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/model_loader.h"
#include "core/session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bespoke::rt;
  VerifyLimits limits;
  limits.max_tensors = 1 << 12;
  limits.max_operators = 1 << 12;
  limits.max_tensor_bytes = 1 << 16;
  limits.max_activation_bytes = 1 << 20;
  std::unique_ptr<LoadedModel> model;
  if (!LoadedModel::from_memory(data, size, true, &model, limits).ok()) return 0;

  SessionOptions options;
  options.backend = BackendKind::kReference;
  options.profiling = true;
  std::unique_ptr<Session> session;
  if (!Session::create(model->view(), options, &session).ok()) return 0;
  const ModelView& view = model->view();
  for (size_t i = 0; i < view.inputs().size(); ++i) {
    const std::vector<uint8_t> zeros(view.tensor(view.inputs()[i]).byte_size, 0);
    if (!session->set_input(i, zeros.data(), zeros.size()).ok()) return 0;
  }
  if (!session->run().ok()) return 0;
  volatile uint8_t sink = 0;
  for (size_t i = 0; i < view.outputs().size(); ++i) {
    const void* out = nullptr;
    size_t bytes = 0;
    if (!session->output(i, &out, &bytes).ok()) continue;
    for (size_t k = 0; k < bytes; ++k) sink = sink ^ static_cast<const uint8_t*>(out)[k];
  }
  return 0;
}
