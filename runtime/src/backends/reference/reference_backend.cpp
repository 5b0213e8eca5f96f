// The portable reference backend: plain C++ kernels in NCHW for every FLOAT32
// operator of the format. It is the numerical ground truth the other backends
// are tested against, and the fallback for operators they do not support.
#include <new>

#include "backends/backend.h"
#include "backends/reference/registry.h"

namespace bespoke::rt {
namespace {

class ReferenceBackend final : public Backend {
 public:
  std::string_view name() const override { return "reference"; }
  Layout layout() const override { return Layout::kNCHW; }

  bool supports(const ModelView& model, int op) const override {
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count()) return false;
    const ExecutionContext serial;
    return reference::check_operator(reference::KernelArgs{model, op, serial}).ok();
  }

  Status create_kernel(const ModelView& model, int op, const ExecutionContext& context,
                       std::unique_ptr<Kernel>* kernel) override {
    if (kernel == nullptr) return InvalidArgument("reference backend: create_kernel() needs an output pointer");
    if (op < 0 || static_cast<size_t>(op) >= model.operator_count())
      return InvalidArgument("reference backend: operator index " + std::to_string(op) + " out of range");
    return reference::create_operator(reference::KernelArgs{model, op, context}, kernel);
  }
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() {
  return std::unique_ptr<Backend>(new (std::nothrow) ReferenceBackend());
}

}  // namespace bespoke::rt
