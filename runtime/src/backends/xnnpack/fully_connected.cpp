// FULLY_CONNECTED -> xnn_create_fully_connected_nc_f32: Y[..., N] = X[..., K] W^T + B,
// the leading dimensions flattened into XNNPACK's batch. W is [N, K], the
// layout XNNPACK expects without XNN_FLAG_TRANSPOSE_WEIGHTS.
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

bool supports_fully_connected(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_FullyConnectedOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.size() < 2) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& w = op.input(1);
  const TensorInfo& y = op.output(0);
  if (x.rank < 1 || w.rank != 2 || !w.is_constant() || y.rank != x.rank) return false;
  if (op.has_input(2) && !op.input(2).is_constant()) return false;
  if (x.dim(x.rank - 1) != w.dim(1) || y.dim(y.rank - 1) != w.dim(0)) return false;
  if (x.element_count / static_cast<size_t>(w.dim(1)) != y.element_count / static_cast<size_t>(w.dim(0))) return false;
  // A rank-4 X or Y is stored NHWC, so "the last dimension" is only
  // contiguous when NHWC and NCHW coincide.
  if (!layout_invariant(x) || !layout_invariant(y)) return false;
  return output_range(o->activation()).valid;
}

Status create_fully_connected(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_FullyConnectedOptions();
  const TensorInfo& w = op.input(1);
  const size_t outputs = static_cast<size_t>(w.dim(0));
  const size_t inputs = static_cast<size_t>(w.dim(1));
  const size_t batch = op.input(0).element_count / inputs;
  const OutputRange range = output_range(o.activation());
  const float* bias = op.has_input(2) ? static_cast<const float*>(op.input(2).constant) : nullptr;

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check(
        "xnn_setup_fully_connected_nc_f32",
        xnn_setup_fully_connected_nc_f32(k.op(0), batch, as_floats(in[0]), as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_fully_connected_nc_f32", [&](xnn_operator_t* created) {
    return xnn_create_fully_connected_nc_f32(inputs, outputs, inputs, outputs, static_cast<const float*>(w.constant),
                                             bias, range.min, range.max, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
