// CONCAT along any axis: in memory order (NHWC for rank 4) the axis splits
// each tensor into `outer` rows; input i fills a column band of every output
// row. One strided xnn copy_nc_x32 per input.
#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/xnnpack_layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool concat_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_ConcatOptions();
  if (o == nullptr || !all_float32(ctx) || ctx.info.inputs.empty()) return false;
  const TensorInfo& y = ctx.output(0);
  const int axis = o->axis();
  if (axis < 0 || axis >= y.rank) return false;
  int64_t total = 0;
  for (size_t i = 0; i < ctx.info.inputs.size(); ++i) {
    if (!ctx.has_input(i)) return false;
    const TensorInfo& x = ctx.input(i);
    if (x.rank != y.rank) return false;
    for (int d = 0; d < y.rank; ++d) {
      if (d != axis && x.dim(d) != y.dim(d)) return false;
    }
    total += x.dim(axis);
  }
  return total == y.dim(axis);
}

Status create_concat_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& y = ctx.output(0);
  const int position = memory_position(y.rank, ctx.info.op->options_as_ConcatOptions()->axis());
  const Shape stored = memory_shape(y);
  const size_t rows = stored.product(0, position);
  const size_t output_row = stored.product(position, stored.rank);
  std::vector<BlockCopy> copies;
  size_t offset = 0;
  for (size_t i = 0; i < ctx.info.inputs.size(); ++i) {
    const size_t input_row = memory_shape(ctx.input(i)).product(position, stored.rank);
    BlockCopy copy;
    copy.rows = rows;
    copy.row_length = input_row;
    copy.source_stride = input_row;
    copy.destination_stride = output_row;
    copy.destination_offset = offset;
    copy.source = i;
    copies.push_back(copy);
    offset += input_row;
  }
  return make_block_copy_kernel(ctx, exec, std::move(copies), kernel);
}

}  // namespace bespoke::rt::xnnpack
