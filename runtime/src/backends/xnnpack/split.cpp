// SPLIT along any axis: the mirror image of CONCAT (see concat.cpp), one
// strided xnn copy_nc_x32 per output.
#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/xnnpack_layout.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {

bool split_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_SplitOptions();
  if (o == nullptr || o->sizes() == nullptr || !all_float32(ctx) || ctx.info.inputs.empty() || !ctx.has_input(0)) {
    return false;
  }
  const TensorInfo& x = ctx.input(0);
  const int axis = o->axis();
  if (axis < 0 || axis >= x.rank || o->sizes()->size() != ctx.info.outputs.size()) return false;
  int64_t total = 0;
  for (size_t i = 0; i < ctx.info.outputs.size(); ++i) {
    const TensorInfo& y = ctx.output(i);
    if (y.rank != x.rank || y.dim(axis) != o->sizes()->Get(static_cast<flatbuffers::uoffset_t>(i))) return false;
    for (int d = 0; d < x.rank; ++d) {
      if (d != axis && x.dim(d) != y.dim(d)) return false;
    }
    total += y.dim(axis);
  }
  return total == x.dim(axis);
}

Status create_split_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = ctx.input(0);
  const int position = memory_position(x.rank, ctx.info.op->options_as_SplitOptions()->axis());
  const Shape stored = memory_shape(x);
  const size_t rows = stored.product(0, position);
  const size_t input_row = stored.product(position, stored.rank);
  std::vector<BlockCopy> copies;
  size_t offset = 0;
  for (size_t i = 0; i < ctx.info.outputs.size(); ++i) {
    const size_t output_row = memory_shape(ctx.output(i)).product(position, stored.rank);
    BlockCopy copy;
    copy.rows = rows;
    copy.row_length = output_row;
    copy.source_stride = input_row;
    copy.destination_stride = output_row;
    copy.source_offset = offset;
    copy.destination = i;
    copies.push_back(copy);
    offset += output_row;
  }
  return make_block_copy_kernel(ctx, exec, std::move(copies), kernel);
}

}  // namespace bespoke::rt::xnnpack
