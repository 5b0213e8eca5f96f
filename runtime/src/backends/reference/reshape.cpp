// RESHAPE (also Flatten / Squeeze / Unsqueeze): same elements, same order,
// new shape; a plain copy (the session may alias input and output, then it
// is skipped).
#include <cstring>

#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

class ReshapeKernel final : public ReferenceKernel {
 public:
  explicit ReshapeKernel(const KernelArgs& args) : ReferenceKernel(args), bytes_(args.input(0).byte_size) {}

  Status run() override {
    if (input(0) != output(0)) std::memcpy(output(0), input(0), bytes_);
    return Status::Ok();
  }

 private:
  size_t bytes_;
};

}  // namespace

Status check_reshape(const KernelArgs& args) {
  if (args.input(0).element_count != args.output(0).element_count)
    return op_error(args, "input " + shape_string(args.input(0)) + " and output " + shape_string(args.output(0)) +
                              " have different element counts");
  return Status::Ok();
}

Status create_reshape(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ReshapeKernel>(args, kernel);
}

}  // namespace bespoke::rt::reference
