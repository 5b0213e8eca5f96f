// Shared pieces of the XNNPACK backend: XNNPACK status -> Status conversion,
// an owning handle for xnn_operator_t, the kernel base class that runs a
// fixed list of XNNPACK operators, and fused-activation -> output range
// conversion.
//
// Every kernel of this backend follows the same life cycle: create_kernel()
// creates (and packs weights into) XNNPACK operators, setup() calls
// xnn_setup_* once with the session's fixed pointers and thread pool, and
// run() only calls xnn_run_operator.
#pragma once

#include <xnnpack.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/backend.h"

namespace bespoke::rt::xnnpack {

// Unsupported("<op.describe()>: not supported by the XNNPACK backend: <why>").
Status unsupported(const OperatorRef& op, const std::string& why);

const char* xnn_status_name(xnn_status status);

struct XnnOperatorDeleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using XnnOperator = std::unique_ptr<xnn_operator, XnnOperatorDeleter>;

// A kernel made of XNNPACK operators run in order. The operator files create
// the operators (create_operator) and supply setup() (see LambdaKernel);
// run() is shared and allocation-free.
class XnnKernel : public Kernel {
 public:
  XnnKernel(const OperatorRef& op, const ExecutionContext& exec);
  Status run() override;

  // Creates one XNNPACK operator through `create` (a callable taking
  // xnn_operator_t*) and appends it to the operators run() executes.
  template <class CreateFn>
  Status create_operator(const char* call, CreateFn&& create) {
    xnn_operator_t created = nullptr;
    const xnn_status status = create(&created);
    if (status != xnn_status_success) {
      if (created != nullptr) xnn_delete_operator(created);
      return error(call, status);
    }
    operators_.emplace_back(created);
    return Status::Ok();
  }

  xnn_operator_t op(size_t i) const { return operators_[i].get(); }
  pthreadpool_t threadpool() const { return threadpool_; }
  // Ok, or a BackendError naming this kernel's operator, the call and the status.
  Status check(const char* call, xnn_status status) const;
  Status error(const char* call, xnn_status status) const;

 private:
  pthreadpool_t threadpool_;
  std::string description_;  // OperatorRef::describe(), for error messages
  std::vector<XnnOperator> operators_;
};

// A kernel whose setup() is a callable `Status(XnnKernel&, inputs, outputs)`
// capturing the shapes (and any kernel-owned buffers) it needs. Keeps each
// operator file down to "create the operators, then say how to set them up".
template <class SetupFn>
class LambdaKernel final : public XnnKernel {
 public:
  LambdaKernel(const OperatorRef& op, const ExecutionContext& exec, SetupFn setup_fn)
      : XnnKernel(op, exec), setup_fn_(std::move(setup_fn)) {}
  Status setup(const void* const* inputs, void* const* outputs) override {
    return setup_fn_(static_cast<XnnKernel&>(*this), inputs, outputs);
  }

 private:
  SetupFn setup_fn_;
};

template <class SetupFn>
std::unique_ptr<LambdaKernel<SetupFn>> make_kernel(const OperatorRef& op, const ExecutionContext& exec,
                                                   SetupFn setup_fn) {
  return std::make_unique<LambdaKernel<SetupFn>>(op, exec, std::move(setup_fn));
}

inline const float* as_floats(const void* data) { return static_cast<const float*>(data); }
inline float* as_floats(void* data) { return static_cast<float*>(data); }

inline constexpr float kInfinity = std::numeric_limits<float>::infinity();

// Output clamp range of a fused activation. valid is false when XNNPACK
// cannot express it (NaN bounds, or min >= max, which XNNPACK rejects).
struct OutputRange {
  float min;
  float max;
  bool valid;
};
OutputRange output_range(const fb::FusedActivation* activation);
OutputRange clamp_range(float min, float max);

// Output length of a sliding window (convolution / pooling) over `input`
// cells, or -1 when the parameters are not positive or the window never fits.
int64_t window_output_size(int64_t input, int pad_begin, int pad_end, int kernel, int stride, int dilation);

// Float storage owned by a kernel for data XNNPACK reads directly (constant
// operands, scratch). It carries XNN_EXTRA_BYTES of tail padding because
// XNNPACK micro-kernels may read (never use) that far past the end.
class FloatBuffer {
 public:
  FloatBuffer() = default;
  explicit FloatBuffer(size_t count) : data_(count + kPadFloats, 0.0f), count_(count) {}
  float* data() { return data_.data(); }
  const float* data() const { return data_.data(); }
  size_t size() const { return count_; }

 private:
  static constexpr size_t kPadFloats = XNN_EXTRA_BYTES / sizeof(float);
  std::vector<float> data_;
  size_t count_ = 0;
};

}  // namespace bespoke::rt::xnnpack
