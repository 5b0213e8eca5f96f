// Backend and Kernel: the contract between the session and the kernel
// libraries. A backend decides which operators it can run and creates one
// Kernel per operator; the session plans memory, chooses tensor layouts,
// inserts layout conversions and drives the kernels.
//
// Layout rule: every rank-4 tensor handed to a kernel (activation or
// constant) is in the backend's layout(); every other tensor is plain
// row-major in logical order. A kernel whose operator changes rank (e.g.
// RESHAPE from 4-D to 2-D) is itself responsible for producing logical order.
// Exception: convolution weights (input 1 of CONV_2D and CONV_TRANSPOSE_2D)
// are always passed in file layout (OIHW); backends pack them from the model
// at create_kernel, so an NHWC copy would only double weight memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/model_view.h"
#include "core/status.h"

typedef struct pthreadpool* pthreadpool_t;

namespace bespoke::rt {

enum class Layout : uint8_t { kNCHW = 0, kNHWC = 1 };

// Whose threads a backend's kernels run on. Two pools busy-waiting on the
// same cores starve each other, so the session parks the one it leaves.
enum class ThreadRuntime : uint8_t {
  kSessionPool = 0,  // ExecutionContext::threadpool (reference, XNNPACK)
  kOpenMP = 1,       // the process's OpenMP runtime (Debian's oneDNN)
};

// Shared, caller-sized execution resources. Owned by the session.
struct ExecutionContext {
  pthreadpool_t threadpool = nullptr;  // nullptr = run on the calling thread
  int num_threads = 1;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  // Called once after memory planning with the final data pointers, in the
  // order of OperatorInfo::inputs / outputs (nullptr for an absent optional
  // input). The pointers stay valid and unchanged for the kernel's lifetime,
  // so expensive setup (XNNPACK setup, oneDNN memory objects) happens here.
  virtual Status setup(const void* const* inputs, void* const* outputs) = 0;
  // Steady state: must not allocate heap memory.
  virtual Status run() = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  virtual Layout layout() const = 0;
  virtual ThreadRuntime thread_runtime() const { return ThreadRuntime::kSessionPool; }
  // True if operator `op` of `model` (with its actual shapes and options) can
  // run on this backend. Must be cheap and must not fail otherwise.
  virtual bool supports(const ModelView& model, int op) const = 0;
  // AUTO's hint: true when this backend measured faster than the others for
  // operators like `op` on this CPU (see backend_selection.cpp). Among the
  // backends that support an operator, one that prefers it gets it.
  virtual bool preferred_for(const ModelView& model, int op) const {
    (void)model;
    (void)op;
    return false;
  }
  // Creates the kernel for `op`; packs weights read from the constant tensors
  // of `model` (in file layout). `model` outlives the kernel.
  virtual Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                               std::unique_ptr<Kernel>* kernel) = 0;
};

// Factories; each returns nullptr when the backend is not compiled in or the
// CPU cannot run it (e.g. oneDNN without SSE4.1).
std::unique_ptr<Backend> make_reference_backend();
std::unique_ptr<Backend> make_xnnpack_backend();
std::unique_ptr<Backend> make_onednn_backend();

}  // namespace bespoke::rt
