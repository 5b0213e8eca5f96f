// GLOBAL_AVERAGE_POOL -> xnn_create_global_average_pooling_nwc_f32: in NHWC,
// each image is a [H*W, C] "NWC" row set averaged over its H*W rows.

#include "backends/xnnpack/operators.h"

namespace bespoke::rt::xnnpack {

bool supports_global_average_pool(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.empty()) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  return x.rank == 4 && y.rank == 4 && y.dim(0) == x.dim(0) && y.dim(1) == x.dim(1) && y.dim(2) == 1 && y.dim(3) == 1;
}

Status create_global_average_pool(const OperatorRef& op, const ExecutionContext& exec,
                                  std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = op.input(0);
  const size_t batch = static_cast<size_t>(x.dim(0)), channels = static_cast<size_t>(x.dim(1)),
               pixels = static_cast<size_t>(x.dim(2) * x.dim(3));

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_global_average_pooling_nwc_f32",
                   xnn_setup_global_average_pooling_nwc_f32(k.op(0), batch, pixels, as_floats(in[0]), as_floats(out[0]),
                                                            k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(
      result->create_operator("xnn_create_global_average_pooling_nwc_f32", [&](xnn_operator_t* created) {
        return xnn_create_global_average_pooling_nwc_f32(channels, channels, channels, -kInfinity, kInfinity, 0,
                                                         created);
      }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
