// CONCAT of all inputs along a non-negative axis: contiguous chunk copies.
#include <cstring>

#include "backends/reference/axis_parts.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

int axis_of(const KernelArgs& args) { return args.op().op->options_as_ConcatOptions()->axis(); }

std::vector<const TensorInfo*> inputs_of(const KernelArgs& args) {
  std::vector<const TensorInfo*> parts;
  for (size_t i = 0; i < args.input_count(); ++i) parts.push_back(&args.input(i));
  return parts;
}

class ConcatKernel final : public ReferenceKernel {
 public:
  explicit ConcatKernel(const KernelArgs& args)
      : ReferenceKernel(args), parts_(args.output(0), axis_of(args), inputs_of(args)) {}

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

Status check_concat(const KernelArgs& args) {
  return check_axis_parts(args, args.output(0), axis_of(args), inputs_of(args), "input");
}

Status create_concat(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ConcatKernel>(args, kernel);
}

}  // namespace bespoke::rt::reference
