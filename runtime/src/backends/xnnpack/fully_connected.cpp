// FULLY_CONNECTED -> xnn_create_fully_connected_nc_f32: Y[..., N] = X[..., K] W^T + B,
// the leading dimensions flattened into XNNPACK's batch. W is [N, K], the
// layout XNNPACK expects without XNN_FLAG_TRANSPOSE_WEIGHTS.
#include "backends/xnnpack/xnnpack_layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool fully_connected_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_FullyConnectedOptions();
  if (o == nullptr || !all_float32(ctx) || ctx.info.inputs.size() < 2) return false;
  const TensorInfo& x = ctx.input(0);
  const TensorInfo& w = ctx.input(1);
  const TensorInfo& y = ctx.output(0);
  if (x.rank < 1 || w.rank != 2 || !w.is_constant() || y.rank != x.rank) return false;
  if (ctx.has_input(2) && !ctx.input(2).is_constant()) return false;
  if (x.dim(x.rank - 1) != w.dim(1) || y.dim(y.rank - 1) != w.dim(0)) return false;
  if (x.element_count / static_cast<size_t>(w.dim(1)) != y.element_count / static_cast<size_t>(w.dim(0))) return false;
  // A rank-4 X or Y is stored NHWC, so "the last dimension" is only
  // contiguous when NHWC and NCHW coincide.
  if (!layout_invariant(x) || !layout_invariant(y)) return false;
  return output_range(o->activation()).valid;
}

Status create_fully_connected_kernel(const OpContext& ctx, const ExecutionContext& exec,
                                     std::unique_ptr<Kernel>* kernel) {
  const auto& o = *ctx.info.op->options_as_FullyConnectedOptions();
  const TensorInfo& w = ctx.input(1);
  const size_t outputs = static_cast<size_t>(w.dim(0));
  const size_t inputs = static_cast<size_t>(w.dim(1));
  const size_t batch = ctx.input(0).element_count / inputs;
  const OutputRange range = output_range(o.activation());
  const float* bias = ctx.has_input(2) ? static_cast<const float*>(ctx.input(2).constant) : nullptr;

  auto result = make_kernel(ctx, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_fully_connected_nc_f32",
                   xnn_setup_fully_connected_nc_f32(k.op(0), batch, as_floats(in[0]), as_floats(out[0]),
                                                    k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_fully_connected_nc_f32", [&](xnn_operator_t* op) {
    return xnn_create_fully_connected_nc_f32(inputs, outputs, inputs, outputs, static_cast<const float*>(w.constant),
                                             bias, range.min, range.max, 0, op);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
