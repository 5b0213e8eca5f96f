// SPLIT along an axis into len(sizes) outputs: contiguous chunk copies.
#include <cstring>

#include "backends/reference/axis_parts.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

const fb::SplitOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_SplitOptions(); }

std::vector<const TensorInfo*> outputs_of(const OperatorRef& op) {
  std::vector<const TensorInfo*> parts;
  for (size_t i = 0; i < op.output_count(); ++i) parts.push_back(&op.output(i));
  return parts;
}

class SplitKernel final : public ReferenceKernel {
 public:
  explicit SplitKernel(const OperatorRef& op)
      : ReferenceKernel(op), parts_(op.input(0), options_of(op).axis(), outputs_of(op)) {}

  Status run() override {
    const float* in = input(0);
    parts_.for_each_chunk([&](size_t part, int64_t joined_offset, int64_t part_offset, int64_t count) {
      std::memcpy(output(part) + part_offset, in + joined_offset, static_cast<size_t>(count) * sizeof(float));
    });
    return Status::Ok();
  }

 private:
  AxisParts parts_;
};

}  // namespace

Status supports_split(const OperatorRef& op) {
  const fb::SplitOptions& o = options_of(op);
  const int axis = o.axis();
  BSP_RETURN_IF_ERROR(check_axis_parts(op, op.input(0), axis, outputs_of(op), "output"));
  // The outputs' shapes decide the copy; `sizes`, when given, must agree with them.
  if (o.sizes() != nullptr) {
    if (o.sizes()->size() != op.output_count())
      return op_error(op, "has " + std::to_string(o.sizes()->size()) + " split sizes for " +
                              std::to_string(op.output_count()) + " outputs");
    for (size_t i = 0; i < op.output_count(); ++i)
      if (o.sizes()->Get(static_cast<flatbuffers::uoffset_t>(i)) != op.output(i).dim(axis))
        return op_error(op, "split size " + std::to_string(i) + " disagrees with output " + std::to_string(i) + " " +
                                shape_string(op.output(i)));
  }
  return Status::Ok();
}

Status create_split(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<SplitKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
