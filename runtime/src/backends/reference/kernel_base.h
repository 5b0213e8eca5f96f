// Building blocks shared by the reference kernels: the arguments every kernel
// factory receives, a Kernel base class that binds the data pointers handed
// to setup(), and small helpers for option checks and error messages.
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

// Everything a kernel factory or an option check may look at.
struct KernelArgs {
  const ModelView& model;
  int op_index;
  const ExecutionContext& context;

  const OperatorInfo& op() const { return model.op(op_index); }
  size_t input_count() const { return op().inputs.size(); }
  size_t output_count() const { return op().outputs.size(); }
  bool has_input(size_t i) const { return i < input_count() && op().inputs[i] >= 0; }
  // Only for present inputs (has_input(i)).
  const TensorInfo& input(size_t i) const { return model.tensor(op().inputs[i]); }
  const TensorInfo& output(size_t i) const { return model.tensor(op().outputs[i]); }
};

// "operator 3 'conv1' (CONV_2D)" — the prefix of every message about an operator.
std::string describe(const KernelArgs& args);
// InvalidModel("<describe>: <what>").
Status op_error(const KernelArgs& args, const std::string& what);

// Factory and option-check signatures used by the registry.
using KernelFactory = Status (*)(const KernelArgs& args, std::unique_ptr<Kernel>* kernel);
using OptionsCheck = Status (*)(const KernelArgs& args);

// Base of every reference kernel. setup() stores the pointers; an input that
// the session passes as nullptr while the model has constant data for it
// (a weight the session did not copy) falls back to the model's constant.
class ReferenceKernel : public Kernel {
 public:
  explicit ReferenceKernel(const KernelArgs& args);
  Status setup(const void* const* inputs, void* const* outputs) override;

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
  pthreadpool_t threadpool_;
  std::string description_;
};

// Creates `Derived(args, extra...)` into *kernel.
template <typename Derived, typename... Extra>
Status make_kernel(const KernelArgs& args, std::unique_ptr<Kernel>* kernel, Extra&&... extra) {
  kernel->reset(new Derived(args, static_cast<Extra&&>(extra)...));
  return Status::Ok();
}

// Number of elements of dims [begin, end) of `t`.
int64_t dims_product(const TensorInfo& t, int begin, int end);

// True if the tensor's shape equals `dims`.
bool has_shape(const TensorInfo& t, const std::vector<int64_t>& dims);
std::string shape_string(const TensorInfo& t);
std::string shape_string(const std::vector<int64_t>& dims);
// Ok if `t` has shape `dims`, else op_error("<role> has shape [..], expected [..]").
Status expect_shape(const KernelArgs& args, const TensorInfo& t, const std::vector<int64_t>& dims,
                    const std::string& role);
// Ok if `t` has rank `rank`, else op_error naming `role`.
Status expect_rank(const KernelArgs& args, const TensorInfo& t, int rank, const std::string& role);

}  // namespace bespoke::rt::reference
