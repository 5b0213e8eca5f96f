// SILU: y = x * sigmoid(x). XNNPACK has no such operator: the sigmoid goes
// into the output, then the output is multiplied by x in place.

#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool silu_supported(const OpContext& ctx) { return elementwise_shapes_supported(ctx); }

Status create_silu_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const size_t count = ctx.input(0).element_count;
  const size_t shape[1] = {count};

  auto result = make_kernel(ctx, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    const float* x = as_floats(in[0]);
    float* y = as_floats(out[0]);
    BSP_RETURN_IF_ERROR(
        k.check("xnn_setup_sigmoid_nc_f32", xnn_setup_sigmoid_nc_f32(k.op(0), 1, x, y, k.threadpool())));
    return k.check("xnn_setup_multiply_nd_f32",
                   xnn_setup_multiply_nd_f32(k.op(1), 1, shape, 1, shape, x, y, y, k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_sigmoid_nc_f32", [&](xnn_operator_t* op) {
    return xnn_create_sigmoid_nc_f32(count, count, count, 0, op);
  }));
  BSP_RETURN_IF_ERROR(result->create_operator(
      "xnn_create_multiply_nd_f32", [&](xnn_operator_t* op) { return xnn_create_multiply_nd_f32(-kInfinity, kInfinity, 0, op); }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
