// CONCAT along any axis: input i fills a column band of every output row
// (see axis_pieces.h). One strided xnn copy_nc_x32 per input.
#include "backends/xnnpack/axis_pieces.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {
namespace {

std::vector<const TensorInfo*> inputs_of(const OpContext& ctx) {
  std::vector<const TensorInfo*> pieces;
  for (size_t i = 0; i < ctx.info.inputs.size(); ++i) pieces.push_back(&ctx.input(i));
  return pieces;
}

}  // namespace

bool concat_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_ConcatOptions();
  if (o == nullptr || !all_float32(ctx) || ctx.info.inputs.empty()) return false;
  for (size_t i = 0; i < ctx.info.inputs.size(); ++i) {
    if (!ctx.has_input(i)) return false;
  }
  return pieces_tile_axis(ctx.output(0), inputs_of(ctx), o->axis());
}

Status create_concat_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const int axis = ctx.info.op->options_as_ConcatOptions()->axis();
  return make_block_copy_kernel(ctx, exec, piece_copies(ctx.output(0), inputs_of(ctx), axis, PieceDirection::kGather),
                                kernel);
}

}  // namespace bespoke::rt::xnnpack
