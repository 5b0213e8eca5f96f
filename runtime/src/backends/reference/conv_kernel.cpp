#include "backends/reference/conv_kernel.h"

#include <string>

namespace bespoke::rt::reference {

Status check_conv_options(const KernelArgs& args, const WindowParams& window, const fb::FusedActivation* activation) {
  BSP_RETURN_IF_ERROR(check_window(args, window));
  if (!FusedActivation::is_known(activation)) return op_error(args, "unknown fused activation");
  return Status::Ok();
}

Status check_conv_operands(const KernelArgs& args, int64_t groups) {
  const TensorInfo& x = args.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(args, x, 4, "input"));
  if (groups < 1 || x.dim(1) % groups != 0)
    return op_error(args, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(x.dim(1)) +
                              " input channels");
  return expect_rank(args, args.input(1), 4, "weight");
}

Status check_conv_output(const KernelArgs& args, int64_t maps, int64_t oh, int64_t ow, const char* empty_output) {
  if (args.has_input(2)) BSP_RETURN_IF_ERROR(expect_shape(args, args.input(2), {maps}, "bias"));
  if (oh < 1 || ow < 1) return op_error(args, empty_output);
  return expect_shape(args, args.output(0), {args.input(0).dim(0), maps, oh, ow}, "output");
}

}  // namespace bespoke::rt::reference
