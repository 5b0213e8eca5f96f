// SQRT -> xnn_create_square_root_nc_f32 (on x86 the sqrtps instruction:
// correctly rounded, NaN for negative inputs, like std::sqrt).
#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool square_root_supported(const OpContext& ctx) { return elementwise_shapes_supported(ctx); }

Status create_square_root_kernel(const OpContext& ctx, const ExecutionContext& exec,
                                 std::unique_ptr<Kernel>* kernel) {
  return make_unary_kernel(
      ctx, exec, "xnn_create_square_root_nc_f32",
      [](size_t count, xnn_operator_t* op) { return xnn_create_square_root_nc_f32(count, count, count, 0, op); },
      "xnn_setup_square_root_nc_f32", xnn_setup_square_root_nc_f32, kernel);
}

}  // namespace bespoke::rt::xnnpack
