// Backend selection: which backends a session gets, and BSP_BACKEND_AUTO.
//
// AUTO builds one session on every optimized backend available here
// (XNNPACK first, then oneDNN) and routes each operator by a rule: to a
// backend that declares itself preferred_for() it on this CPU, else to the
// first that supports it, else to the reference backend. Both optimized
// backends keep activations in NHWC, so mixing them per operator costs no
// layout conversion.
//
// Why a rule and not a measurement: timing candidate sessions at creation
// (what AUTO did first) made creation cost two sessions plus a dozen runs --
// above ONNX Runtime's load time on every benchmark model (resnet18: 325 ms
// against 152 ms) -- and its choice flipped with machine noise, while
// per-operator measurements (bespoke-bench --ops on the five benchmark
// models) are clear-cut and stable: see OnednnBackend::preferred_for and
// benchmarks/README.md. Routing per operator also beats either backend
// alone (efficientnet_b0, one thread: 6.2 ms against 7.7 XNNPACK, 7.4 oneDNN).
//
// With several threads the backends' thread runtimes (pthreadpool, OpenMP)
// would hand the cores back and forth at every switch, each pool's workers
// spinning while the other's need the core (efficientnet_b0, 2 threads: 8.0
// ms mixed against 4.2 oneDNN alone), so AUTO keeps one optimized backend:
// the preferring one (oneDNN on AVX-512) for models whose weighted operators
// are heavy, the first one (XNNPACK) for light models, where oneDNN's
// per-operator OpenMP fork/join dominates. Measured, 2 threads: resnet18 (57
// M multiply-adds per operator), mobilenet_v2 (4.6 M), efficientnet_b0 (2.0
// M) are faster on oneDNN by 1.36x, 1.18x, 1.15x; mobilenet_v3_small (0.5 M)
// and shufflenet_v2_x0_5 (0.35 M) on XNNPACK by 1.11x and 1.7x.

#include <vector>

#include "core/backend_registry.h"
#include "core/model_cost.h"
#include "core/session.h"
#include "core/thread_pool.h"

namespace bespoke::rt {
namespace {

// Multi-threaded AUTO: below this many multiply-adds per operator a model
// counts as light (see the top of the file).
constexpr double kHeavyMacsPerOperator = 1e6;

bool prefers_any(const Backend& backend, const ModelView& model) {
  for (size_t i = 0; i < model.operator_count(); ++i) {
    if (backend.preferred_for(model, static_cast<int>(i))) return true;
  }
  return false;
}

// AUTO with several threads: the one optimized backend to keep.
std::unique_ptr<Backend> single_backend_for(std::vector<std::unique_ptr<Backend>> optimized, const ModelView& model) {
  if (mean_macs_per_operator(model) >= kHeavyMacsPerOperator) {
    for (auto& backend : optimized) {
      if (prefers_any(*backend, model)) return std::move(backend);
    }
  }
  return std::move(optimized.front());
}

// The reference backend, then the backends `options` asks for (AUTO: the
// optimized backends usable here, XNNPACK first; see the top of the file).
Status session_backends(const ModelView& model, const SessionOptions& options,
                        std::vector<std::unique_ptr<Backend>>* out) {
  std::vector<BackendKind> kinds;
  if (options.backend == BackendKind::kAuto) {
    kinds = optimized_backends();
  } else if (options.backend != BackendKind::kReference) {
    kinds.push_back(options.backend);
  }
  std::vector<std::unique_ptr<Backend>> optimized;
  for (BackendKind kind : kinds) {
    std::vector<std::unique_ptr<Backend>> one;
    BSP_RETURN_IF_ERROR(backends_for(kind, &one));
    optimized.push_back(std::move(one.back()));
  }
  BSP_RETURN_IF_ERROR(backends_for(BackendKind::kReference, out));
  const bool one_thread = ThreadPool::resolve_thread_count(options.num_threads) == 1;
  if (optimized.size() > 1 && !one_thread) {
    out->push_back(single_backend_for(std::move(optimized), model));
  } else {
    for (auto& backend : optimized) out->push_back(std::move(backend));
  }
  return Status::Ok();
}

}  // namespace

Status Session::create(const ModelView& model, const SessionOptions& options, std::unique_ptr<Session>* out) {
  if (out == nullptr) return InvalidArgument("session output handle is null");
  std::vector<std::unique_ptr<Backend>> backends;
  BSP_RETURN_IF_ERROR(session_backends(model, options, &backends));
  return create_session_with_backends(model, options, std::move(backends), out);
}

Status Session::required_arena_bytes(const ModelView& model, const SessionOptions& options, size_t* bytes) {
  if (bytes == nullptr) return InvalidArgument("the output size pointer is null");
  std::vector<std::unique_ptr<Backend>> backends;
  BSP_RETURN_IF_ERROR(session_backends(model, options, &backends));
  std::vector<Backend*> raw;
  for (auto& b : backends) raw.push_back(b.get());
  SessionPlan plan;
  BSP_RETURN_IF_ERROR(SessionPlan::build(model, raw, &plan));
  *bytes = plan.arena_bytes();
  return Status::Ok();
}

}  // namespace bespoke::rt
