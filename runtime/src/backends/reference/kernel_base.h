// Building blocks shared by the reference kernels: a Kernel base class that
// binds the data pointers handed to setup(), and small helpers for option
// checks and error messages (about an OperatorRef, backends/backend.h).
//
// The reference backend works in NCHW, i.e. in logical (file) order for every
// tensor, so kernels index tensors exactly as the schema describes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/model_view.h"
#include "core/status.h"

namespace bespoke::rt::reference {

// InvalidModel("<op.describe()>: <what>").
Status op_error(const OperatorRef& op, const std::string& what);

// Base of every reference kernel. setup() stores the pointers; an input that
// the session passes as nullptr while the model has constant data for it
// (a weight the session did not copy) falls back to the model's constant.
class ReferenceKernel : public Kernel {
 public:
  explicit ReferenceKernel(const OperatorRef& op);
  Status setup(const void* const* inputs, void* const* outputs) override;
  // Set once by make_kernel(); nullptr (the default) runs on the calling thread.
  void use_threadpool(pthreadpool_t threadpool) { threadpool_ = threadpool; }

 protected:
  // nullptr for an absent optional input.
  // Operators may omit trailing optional inputs (a conv without bias has two).
  const float* input(size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  float* output(size_t i) const { return outputs_[i]; }
  pthreadpool_t threadpool() const { return threadpool_; }

 private:
  std::vector<const float*> constants_;  // per input: model constant or nullptr
  std::vector<bool> present_;            // per input: tensor index >= 0
  std::vector<const float*> inputs_;
  std::vector<float*> outputs_;
  pthreadpool_t threadpool_ = nullptr;
  std::string description_;
};

// Creates `Derived(op, extra...)`, running on `exec`'s thread pool, into *kernel.
template <typename Derived, typename... Extra>
Status make_kernel(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel,
                   Extra&&... extra) {
  auto created = std::make_unique<Derived>(op, static_cast<Extra&&>(extra)...);
  created->use_threadpool(exec.threadpool);
  *kernel = std::move(created);
  return Status::Ok();
}

// Number of elements of dims [begin, end) of `t`.
int64_t dims_product(const TensorInfo& t, int begin, int end);

// True if the tensor's shape equals `dims`.
bool has_shape(const TensorInfo& t, const std::vector<int64_t>& dims);
std::string shape_string(const TensorInfo& t);
std::string shape_string(const std::vector<int64_t>& dims);
// Ok if `t` has shape `dims`, else op_error("<role> has shape [..], expected [..]").
Status expect_shape(const OperatorRef& op, const TensorInfo& t, const std::vector<int64_t>& dims,
                    const std::string& role);
// Ok if `t` has rank `rank`, else op_error naming `role`.
Status expect_rank(const OperatorRef& op, const TensorInfo& t, int rank, const std::string& role);

}  // namespace bespoke::rt::reference
