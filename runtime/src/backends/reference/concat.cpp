// CONCAT of all inputs along a non-negative axis: contiguous chunk copies.
#include <cstring>

#include "backends/reference/axis_parts.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

int axis_of(const OperatorRef& op) { return op.info().op->options_as_ConcatOptions()->axis(); }

std::vector<const TensorInfo*> inputs_of(const OperatorRef& op) {
  std::vector<const TensorInfo*> parts;
  for (size_t i = 0; i < op.input_count(); ++i) parts.push_back(&op.input(i));
  return parts;
}

class ConcatKernel final : public ReferenceKernel {
 public:
  explicit ConcatKernel(const OperatorRef& op)
      : ReferenceKernel(op), parts_(op.output(0), axis_of(op), inputs_of(op)) {}

  Status run() override {
    float* out = output(0);
    parts_.for_each_chunk([&](size_t part, int64_t joined_offset, int64_t part_offset, int64_t count) {
      std::memcpy(out + joined_offset, input(part) + part_offset, static_cast<size_t>(count) * sizeof(float));
    });
    return Status::Ok();
  }

 private:
  AxisParts parts_;
};

}  // namespace

Status supports_concat(const OperatorRef& op) {
  return check_axis_parts(op, op.output(0), axis_of(op), inputs_of(op), "input");
}

Status create_concat(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ConcatKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
