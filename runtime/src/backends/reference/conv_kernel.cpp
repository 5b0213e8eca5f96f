#include "backends/reference/conv_kernel.h"

#include <string>

namespace bespoke::rt::reference {

Status check_conv_options(const OperatorRef& op, const WindowParams& window, const fb::FusedActivation* activation) {
  BSP_RETURN_IF_ERROR(check_window(op, window));
  if (!FusedActivation::is_known(activation)) return op_error(op, "unknown fused activation");
  return Status::Ok();
}

Status check_conv_operands(const OperatorRef& op, int64_t groups) {
  const TensorInfo& x = op.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(op, x, 4, "input"));
  if (groups < 1 || x.dim(1) % groups != 0)
    return op_error(op, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(x.dim(1)) +
                            " input channels");
  return expect_rank(op, op.input(1), 4, "weight");
}

Status check_conv_output(const OperatorRef& op, int64_t maps, int64_t oh, int64_t ow, const char* empty_output) {
  if (op.has_input(2)) BSP_RETURN_IF_ERROR(expect_shape(op, op.input(2), {maps}, "bias"));
  if (oh < 1 || ow < 1) return op_error(op, empty_output);
  return expect_shape(op, op.output(0), {op.input(0).dim(0), maps, oh, ow}, "output");
}

}  // namespace bespoke::rt::reference
