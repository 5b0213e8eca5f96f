// CHANNEL_SHUFFLE of an NCHW tensor: view C as [groups, C / groups] and
// transpose it, i.e. output channel k * groups + g is input channel
// g * (C / groups) + k. Whole planes are copied.
#include <algorithm>

#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

class ChannelShuffleKernel final : public ReferenceKernel {
 public:
  explicit ChannelShuffleKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        groups_(op.info().op->options_as_ChannelShuffleOptions()->groups()),
        channels_(op.input(0).dim(1)),
        planes_(op.input(0).dim(0) * channels_),
        plane_size_(dims_product(op.input(0), 2, op.input(0).rank)) {}

  Status run() override {
    const int64_t per_group = channels_ / groups_;
    parallel_for_tiles(threadpool(), static_cast<size_t>(planes_), 16, [&](size_t begin, size_t end) {
      for (size_t plane = begin; plane < end; ++plane) {
        const int64_t n = static_cast<int64_t>(plane) / channels_, c = static_cast<int64_t>(plane) % channels_;
        const int64_t source = (c % groups_) * per_group + c / groups_;
        const float* in = input(0) + (n * channels_ + source) * plane_size_;
        std::copy(in, in + plane_size_, output(0) + static_cast<int64_t>(plane) * plane_size_);
      }
    });
    return Status::Ok();
  }

 private:
  int64_t groups_, channels_, planes_, plane_size_;
};

}  // namespace

Status supports_channel_shuffle(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  BSP_RETURN_IF_ERROR(expect_rank(op, x, 4, "input"));
  const int64_t groups = op.info().op->options_as_ChannelShuffleOptions()->groups();
  if (groups < 1 || x.dim(1) % groups != 0)
    return op_error(
        op, "groups " + std::to_string(groups) + " does not divide the " + std::to_string(x.dim(1)) + " channels");
  return expect_shape(op, op.output(0), std::vector<int64_t>(x.dims.begin(), x.dims.begin() + x.rank), "output");
}

Status create_channel_shuffle(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<ChannelShuffleKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
