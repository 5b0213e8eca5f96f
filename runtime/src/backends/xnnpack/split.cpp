// SPLIT along any axis: the mirror image of CONCAT (see axis_pieces.h), one
// strided xnn copy_nc_x32 per output.
#include "backends/xnnpack/axis_pieces.h"
#include "backends/xnnpack/xnnpack_ops.h"

namespace bespoke::rt::xnnpack {
namespace {

std::vector<const TensorInfo*> outputs_of(const OpContext& ctx) {
  std::vector<const TensorInfo*> pieces;
  for (size_t i = 0; i < ctx.info.outputs.size(); ++i) pieces.push_back(&ctx.output(i));
  return pieces;
}

}  // namespace

bool split_supported(const OpContext& ctx) {
  const auto* o = ctx.info.op->options_as_SplitOptions();
  if (o == nullptr || o->sizes() == nullptr || !all_float32(ctx) || ctx.info.inputs.empty() || !ctx.has_input(0)) {
    return false;
  }
  const int axis = o->axis();
  if (o->sizes()->size() != ctx.info.outputs.size() || !pieces_tile_axis(ctx.input(0), outputs_of(ctx), axis)) {
    return false;
  }
  for (size_t i = 0; i < ctx.info.outputs.size(); ++i) {
    if (ctx.output(i).dim(axis) != o->sizes()->Get(static_cast<flatbuffers::uoffset_t>(i))) return false;
  }
  return true;
}

Status create_split_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const int axis = ctx.info.op->options_as_SplitOptions()->axis();
  return make_block_copy_kernel(ctx, exec, piece_copies(ctx.input(0), outputs_of(ctx), axis, PieceDirection::kScatter),
                                kernel);
}

}  // namespace bespoke::rt::xnnpack
