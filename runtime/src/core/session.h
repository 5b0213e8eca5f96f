// Session: a model made runnable. Creation chooses backends per operator,
// plans layouts and memory (SessionPlan), creates the kernels, allocates the
// arena (or adopts the caller's), and calls every kernel's setup() once with
// final pointers. run() then executes conversions and kernels in order with
// no heap allocation, optionally timing every operator and block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/aligned_buffer.h"
#include "core/backend_registry.h"
#include "core/model_view.h"
#include "core/session_plan.h"
#include "core/status.h"
#include "core/thread_pool.h"

namespace bespoke::rt {

struct SessionOptions {
  BackendKind backend = BackendKind::kAuto;
  int num_threads = 1;  // 0 = number of CPU cores
  bool profiling = false;
  void* arena = nullptr;  // optional caller-owned arena (64-byte aligned)
  size_t arena_size = 0;
};

// How many operators of a session one backend runs.
struct BackendUsage {
  const char* name;  // the backend's name(), owned by the session
  size_t operators;
};

// Timing of one operator or block.
struct ProfileCounter {
  uint64_t runs = 0;
  uint64_t total_ns = 0;
  uint64_t last_ns = 0;
};

class Session {
 public:
  // The model must outlive the session. AUTO is resolved by backend_selection.cpp.
  static Status create(const ModelView& model, const SessionOptions& options, std::unique_ptr<Session>* out);
  // Arena bytes a session with these options needs.
  static Status required_arena_bytes(const ModelView& model, const SessionOptions& options, size_t* bytes);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  Status set_input(size_t index, const void* data, size_t bytes);
  Status run();
  Status output(size_t index, const void** data, size_t* bytes) const;

  const ModelView& model() const { return model_; }
  // Name of the backend running most operators (ties: the requested one).
  const char* backend_name() const;
  // The backends that run at least one operator, most operators first: what
  // actually runs, e.g. an AUTO session mixing oneDNN and XNNPACK.
  const std::vector<BackendUsage>& backend_usage() const { return backend_usage_; }
  // Backend that runs operator `op`.
  const char* op_backend_name(int op) const;
  // "mixed" when the block's operators run on several backends.
  const char* block_backend_name(size_t block) const;
  size_t arena_bytes() const { return plan_.arena_bytes(); }
  // Model constants plus the session's converted copies.
  size_t weights_bytes() const { return model_.weights_bytes() + plan_.constant_copy_bytes(); }
  int num_threads() const { return context_.num_threads; }
  const SessionPlan& plan() const { return plan_; }

  bool profiling() const { return profiling_; }
  const std::vector<ProfileCounter>& op_profile() const { return op_profile_; }
  const std::vector<ProfileCounter>& block_profile() const { return block_profile_; }
  void reset_profile();

 private:
  friend Status create_session_with_backends(const ModelView&, const SessionOptions&,
                                             std::vector<std::unique_ptr<Backend>>, std::unique_ptr<Session>*);
  explicit Session(const ModelView& model) : model_(model) {}
  Status initialize(const SessionOptions& options, std::vector<std::unique_ptr<Backend>> backends);
  Status allocate_memory(const SessionOptions& options);
  Status create_kernels();
  void count_backend_usage();
  Status setup_kernels();
  void* slot_data(int slot) const;
  void run_conversions(const std::vector<Conversion>& conversions, pthreadpool_t pool) const;
  Status fail_op(int op, const Status& status) const;

  const ModelView& model_;
  std::unique_ptr<ThreadPool> threadpool_;  // outlives backends and kernels
  ExecutionContext context_;
  std::vector<std::unique_ptr<Backend>> backends_;  // [0] = reference
  std::vector<std::string> backend_names_;          // NUL-terminated copies of name()
  std::vector<ThreadRuntime> backend_runtimes_;
  SessionPlan plan_;
  std::vector<BackendUsage> backend_usage_;
  AlignedBuffer own_arena_;
  unsigned char* arena_ = nullptr;
  AlignedBuffer io_;
  AlignedBuffer constant_copies_;
  std::vector<uint8_t> input_set_;
  bool has_run_ = false;
  bool profiling_ = false;
  std::vector<ProfileCounter> op_profile_;
  std::vector<ProfileCounter> block_profile_;
  std::vector<uint64_t> block_scratch_ns_;
  std::vector<std::unique_ptr<Kernel>> kernels_;  // destroyed first
};

// Creates a session on exactly `backends` ([0] must be the reference backend).
Status create_session_with_backends(const ModelView& model, const SessionOptions& options,
                                    std::vector<std::unique_ptr<Backend>> backends, std::unique_ptr<Session>* out);

}  // namespace bespoke::rt
