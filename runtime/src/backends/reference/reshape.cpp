// RESHAPE (also Flatten / Squeeze / Unsqueeze): same elements, same order,
// new shape; a plain copy (the session may alias input and output, then it
// is skipped).
#include <cstring>

#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

class ReshapeKernel final : public ReferenceKernel {
 public:
  explicit ReshapeKernel(const OperatorRef& op) : ReferenceKernel(op), bytes_(op.input(0).byte_size) {}

  Status run() override {
    if (input(0) != output(0)) std::memcpy(output(0), input(0), bytes_);
    return Status::Ok();
  }

 private:
  size_t bytes_;
};

}  // namespace

Status supports_reshape(const OperatorRef& op) {
  if (op.input(0).element_count != op.output(0).element_count)
    return op_error(op, "input " + shape_string(op.input(0)) + " and output " + shape_string(op.output(0)) +
                            " have different element counts");
  return Status::Ok();
}

Status create_reshape(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ReshapeKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
