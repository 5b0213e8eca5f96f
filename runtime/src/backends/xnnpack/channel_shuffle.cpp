// CHANNEL_SHUFFLE: in NHWC every pixel's C values are contiguous, so the
// NCHW "view C as [groups, C/groups] and transpose" is a per-pixel
// [groups][C/groups] transpose: XNNPACK's channel shuffle with batch N*H*W.
// groups == 1 is the identity (XNNPACK rejects it): a plain copy.
#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/matrix_transpose.h"
#include "backends/xnnpack/operators.h"

namespace bespoke::rt::xnnpack {

bool supports_channel_shuffle(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_ChannelShuffleOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != 4 || x.is_constant() || o->groups() < 1 || x.dim(1) % o->groups() != 0) return false;
  for (int d = 0; d < 4; ++d) {
    if (x.dim(d) != y.dim(d)) return false;
  }
  return true;
}

Status create_channel_shuffle(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = op.input(0);
  const size_t groups = static_cast<size_t>(op.info().op->options_as_ChannelShuffleOptions()->groups());
  if (groups == 1) {
    BlockCopy copy;
    copy.row_length = copy.source_stride = copy.destination_stride = x.element_count;
    return make_block_copy_kernel(op, exec, {copy}, kernel);
  }
  const size_t channels = static_cast<size_t>(x.dim(1));
  const MatrixTranspose shuffle{static_cast<size_t>(x.dim(0) * x.dim(2) * x.dim(3)), groups, channels / groups};
  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return setup_matrix_transpose(k, 0, shuffle, in[0], out[0]);
  });
  BSP_RETURN_IF_ERROR(create_matrix_transpose(*result, shuffle));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
