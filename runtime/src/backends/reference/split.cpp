// SPLIT along an axis into len(sizes) outputs: contiguous chunk copies.
#include <cstring>

#include "backends/reference/axis_parts.h"
#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

const fb::SplitOptions& options_of(const KernelArgs& args) { return *args.op().op->options_as_SplitOptions(); }

std::vector<const TensorInfo*> outputs_of(const KernelArgs& args) {
  std::vector<const TensorInfo*> parts;
  for (size_t i = 0; i < args.output_count(); ++i) parts.push_back(&args.output(i));
  return parts;
}

class SplitKernel final : public ReferenceKernel {
 public:
  explicit SplitKernel(const KernelArgs& args)
      : ReferenceKernel(args), parts_(args.input(0), options_of(args).axis(), outputs_of(args)) {}

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

Status check_split(const KernelArgs& args) {
  const fb::SplitOptions& o = options_of(args);
  const int axis = o.axis();
  BSP_RETURN_IF_ERROR(check_axis_parts(args, args.input(0), axis, outputs_of(args), "output"));
  // The outputs' shapes decide the copy; `sizes`, when given, must agree with them.
  if (o.sizes() != nullptr) {
    if (o.sizes()->size() != args.output_count())
      return op_error(args, "has " + std::to_string(o.sizes()->size()) + " split sizes for " +
                                std::to_string(args.output_count()) + " outputs");
    for (size_t i = 0; i < args.output_count(); ++i)
      if (o.sizes()->Get(static_cast<flatbuffers::uoffset_t>(i)) != args.output(i).dim(axis))
        return op_error(args, "split size " + std::to_string(i) + " disagrees with output " + std::to_string(i) +
                                  " " + shape_string(args.output(i)));
  }
  return Status::Ok();
}

Status create_split(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<SplitKernel>(args, kernel);
}

}  // namespace bespoke::rt::reference
