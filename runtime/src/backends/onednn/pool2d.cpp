// MAX_POOL_2D and AVERAGE_POOL_2D as oneDNN pooling (v2, with dilation).
// count_include_pad maps to pooling_avg_include_padding (divisor kH*kW: with
// explicit padding no window reaches past the padded input) or
// pooling_avg_exclude_padding (divisor = cells inside the input).
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/pooling.h"

namespace bespoke::rt::onednn {

bool supports_pool2d(const OperatorRef& op) {
  const fb::Pool2DOptions* options = op.info().op->options_as_Pool2DOptions();
  if (options == nullptr || op.input_count() != 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  const WindowParams w = WindowParams::from(*options);
  if (x.rank != 4 || y.rank != 4 || !window_supported(w)) return false;
  return every_window_reaches_input(x.dim(2), y.dim(2), w.kernel_h, w.stride_h, w.dilation_h, w.pad_top) &&
         every_window_reaches_input(x.dim(3), y.dim(3), w.kernel_w, w.stride_w, w.dilation_w, w.pad_left);
}

Status create_pool2d(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::Pool2DOptions& options = *op.info().op->options_as_Pool2DOptions();
  dnnl_alg_kind_t algorithm = dnnl_pooling_max;
  if (op.info().opcode == fb::OpCode::AVERAGE_POOL_2D)
    algorithm = options.count_include_pad() ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding;
  dnnl_memory_desc_t dst;
  BSP_RETURN_IF_ERROR(stored_desc(op.output(0), &dst));
  return create_pooling_kernel(op, env, algorithm, WindowParams::from(options), dst, kernel);
}

}  // namespace bespoke::rt::onednn
