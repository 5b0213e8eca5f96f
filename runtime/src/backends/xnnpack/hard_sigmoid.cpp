// HARD_SIGMOID: y = max(0, min(1, alpha * x + beta)). XNNPACK has no such
// operator; two binary operators give the same roundings as the formula:
// multiply by the scalar alpha into the output, then add the scalar beta in
// place with the output range [0, 1].

#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool hard_sigmoid_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_HardSigmoidOptions();
  return o != nullptr && elementwise_shapes_supported(ctx);
}

Status create_hard_sigmoid_kernel(const OpContext& ctx, const ExecutionContext& exec,
                                  std::unique_ptr<Kernel>* kernel) {
  const auto& o = *ctx.info.op->options_as_HardSigmoidOptions();
  FloatBuffer alpha(1), beta(1);
  alpha.data()[0] = o.alpha();
  beta.data()[0] = o.beta();
  const size_t shape[1] = {ctx.input(0).element_count};

  auto result = make_kernel(ctx, exec, [=, alpha = std::move(alpha), beta = std::move(beta)](
                                           XnnKernel& k, const void* const* in, void* const* out) {
    float* y = as_floats(out[0]);
    BSP_RETURN_IF_ERROR(k.check("xnn_setup_multiply_nd_f32",
                                xnn_setup_multiply_nd_f32(k.op(0), 1, shape, 0, shape, as_floats(in[0]),
                                                          alpha.data(), y, k.threadpool())));
    return k.check("xnn_setup_add_nd_f32",
                   xnn_setup_add_nd_f32(k.op(1), 1, shape, 0, shape, y, beta.data(), y, k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator(
      "xnn_create_multiply_nd_f32", [&](xnn_operator_t* op) { return xnn_create_multiply_nd_f32(-kInfinity, kInfinity, 0, op); }));
  BSP_RETURN_IF_ERROR(result->create_operator(
      "xnn_create_add_nd_f32", [&](xnn_operator_t* op) { return xnn_create_add_nd_f32(0.0f, 1.0f, 0, op); }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
