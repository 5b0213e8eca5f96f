// RELU and CLIP -> xnn_create_clamp_nc_f32 (RELU is the range [0, +inf)).

#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {
namespace {

OutputRange clamp_bounds(const OpContext& ctx) {
  if (ctx.info.opcode == fb::OpCode::RELU) return clamp_range(0.0f, kInfinity);
  const auto* o = ctx.info.op->options_as_ClipOptions();
  if (o == nullptr) return {0.0f, 0.0f, false};
  return clamp_range(o->min(), o->max());
}

}  // namespace

bool clamp_supported(const OpContext& ctx) { return elementwise_shapes_supported(ctx) && clamp_bounds(ctx).valid; }

Status create_clamp_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const OutputRange range = clamp_bounds(ctx);
  return make_unary_kernel(
      ctx, exec, "xnn_create_clamp_nc_f32",
      [&](size_t count, xnn_operator_t* op) {
        return xnn_create_clamp_nc_f32(count, count, count, range.min, range.max, 0, op);
      },
      "xnn_setup_clamp_nc_f32", xnn_setup_clamp_nc_f32, kernel);
}

}  // namespace bespoke::rt::xnnpack
