// LEAKY_RELU -> xnn_create_leaky_relu_nc_f32 (x >= 0 ? x : alpha * x).
#include <cmath>

#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool leaky_relu_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_LeakyReluOptions();
  // XNNPACK rejects a non-finite slope.
  return o != nullptr && std::isfinite(o->alpha()) && elementwise_shapes_supported(ctx);
}

Status create_leaky_relu_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const float alpha = ctx.info.op->options_as_LeakyReluOptions()->alpha();
  return make_unary_kernel(
      ctx, exec, "xnn_create_leaky_relu_nc_f32",
      [&](size_t count, xnn_operator_t* op) {
        return xnn_create_leaky_relu_nc_f32(count, count, count, alpha, 0, op);
      },
      "xnn_setup_leaky_relu_nc_f32", xnn_setup_leaky_relu_nc_f32, kernel);
}

}  // namespace bespoke::rt::xnnpack
