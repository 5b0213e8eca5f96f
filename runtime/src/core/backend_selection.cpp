// Backend selection: which backends a session gets, and BSP_BACKEND_AUTO.
//
// AUTO picks, per model and per machine, the faster of the optimized
// backends available (XNNPACK, oneDNN): it builds a complete session on each
// candidate, runs it once to warm up (weight packing, caches, JIT), then
// times up to kTrialRuns runs within kTrialBudget and keeps the candidate
// with the smallest minimum time. Why measure instead of a fixed rule: which
// library wins depends on the CPU (AVX-512 vs SSE-only x86, ARM), the thread
// count and the model's operator mix; a rule would be wrong on some of the
// factory's machines, while a few runs settle it with certainty. The minimum
// is used because scheduling noise only ever adds time. The cost is bounded:
// creation takes about (1 + kTrialRuns) extra runs per candidate, and only
// when more than one candidate is available. With a single candidate it is
// used directly; with none, the reference backend runs everything.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "core/backend_registry.h"
#include "core/session.h"

namespace bespoke::rt {
namespace {

constexpr int kTrialRuns = 5;
constexpr auto kTrialBudget = std::chrono::milliseconds(300);

Status create_on(BackendKind kind, const ModelView& model, const SessionOptions& options,
                 std::unique_ptr<Session>* out) {
  std::vector<std::unique_ptr<Backend>> backends;
  BSP_RETURN_IF_ERROR(backends_for(kind, &backends));
  return create_session_with_backends(model, options, std::move(backends), out);
}

// Deterministic inputs in [-1, 1] for the trial runs.
Status fill_trial_inputs(Session& session) {
  uint32_t state = 12345;
  std::vector<float> values;
  for (size_t i = 0; i < session.model().inputs().size(); ++i) {
    const TensorInfo& t = session.model().tensor(session.model().inputs()[i]);
    values.resize(t.element_count);
    for (float& v : values) {
      state = state * 1664525u + 1013904223u;
      v = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
    }
    BSP_RETURN_IF_ERROR(session.set_input(i, values.data(), t.byte_size));
  }
  return Status::Ok();
}

// Minimum run time of `session` in nanoseconds (after one warm-up run).
Status trial_time(Session& session, uint64_t* best_ns) {
  BSP_RETURN_IF_ERROR(fill_trial_inputs(session));
  BSP_RETURN_IF_ERROR(session.run());
  const auto deadline = std::chrono::steady_clock::now() + kTrialBudget;
  *best_ns = UINT64_MAX;
  for (int r = 0; r < kTrialRuns; ++r) {
    const auto start = std::chrono::steady_clock::now();
    BSP_RETURN_IF_ERROR(session.run());
    const auto end = std::chrono::steady_clock::now();
    *best_ns = std::min<uint64_t>(
        *best_ns, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count()));
    if (end > deadline) break;
  }
  return Status::Ok();
}

Status create_auto(const ModelView& model, const SessionOptions& options, std::unique_ptr<Session>* out) {
  const auto& candidates = optimized_backends();
  if (candidates.empty()) return create_on(BackendKind::kReference, model, options, out);
  if (candidates.size() == 1) return create_on(candidates[0], model, options, out);

  std::unique_ptr<Session> best;
  uint64_t best_ns = UINT64_MAX;
  Status first_error;
  for (BackendKind kind : candidates) {
    std::unique_ptr<Session> session;
    Status s = create_on(kind, model, options, &session);
    uint64_t ns = 0;
    if (s.ok()) s = trial_time(*session, &ns);
    if (!s.ok()) {
      if (first_error.ok()) first_error = s;
      continue;
    }
    if (!best || ns < best_ns) {
      best = std::move(session);  // the slower one is destroyed here
      best_ns = ns;
    }
  }
  if (!best) return first_error;
  best->reset_inputs();
  best->reset_profile();
  *out = std::move(best);
  return Status::Ok();
}

}  // namespace

Status Session::create(const ModelView& model, const SessionOptions& options, std::unique_ptr<Session>* out) {
  if (out == nullptr) return InvalidArgument("session output handle is null");
  if (options.backend == BackendKind::kAuto) return create_auto(model, options, out);
  return create_on(options.backend, model, options, out);
}

Status Session::required_arena_bytes(const ModelView& model, const SessionOptions& options, size_t* bytes) {
  if (bytes == nullptr) return InvalidArgument("the output size pointer is null");
  std::vector<BackendKind> kinds{options.backend};
  if (options.backend == BackendKind::kAuto) {
    kinds = optimized_backends();
    if (kinds.empty()) kinds.push_back(BackendKind::kReference);
  }
  // AUTO may pick any candidate: the largest plan fits them all.
  *bytes = 0;
  for (BackendKind kind : kinds) {
    std::vector<std::unique_ptr<Backend>> backends;
    BSP_RETURN_IF_ERROR(backends_for(kind, &backends));
    std::vector<Backend*> raw;
    for (auto& b : backends) raw.push_back(b.get());
    SessionPlan plan;
    BSP_RETURN_IF_ERROR(SessionPlan::build(model, raw, &plan));
    *bytes = std::max(*bytes, plan.arena_bytes());
  }
  return Status::Ok();
}

}  // namespace bespoke::rt
