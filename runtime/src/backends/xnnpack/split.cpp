// SPLIT along any axis: the mirror image of CONCAT (see axis_pieces.h), one
// strided xnn copy_nc_x32 per output.
#include "backends/xnnpack/axis_pieces.h"
#include "backends/xnnpack/operators.h"

namespace bespoke::rt::xnnpack {
namespace {

std::vector<const TensorInfo*> outputs_of(const OperatorRef& op) {
  std::vector<const TensorInfo*> pieces;
  for (size_t i = 0; i < op.info().outputs.size(); ++i) pieces.push_back(&op.output(i));
  return pieces;
}

}  // namespace

bool supports_split(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_SplitOptions();
  if (o == nullptr || o->sizes() == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) {
    return false;
  }
  const int axis = o->axis();
  if (o->sizes()->size() != op.info().outputs.size() || !pieces_tile_axis(op.input(0), outputs_of(op), axis)) {
    return false;
  }
  for (size_t i = 0; i < op.info().outputs.size(); ++i) {
    if (op.output(i).dim(axis) != o->sizes()->Get(static_cast<flatbuffers::uoffset_t>(i))) return false;
  }
  return true;
}

Status create_split(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const int axis = op.info().op->options_as_SplitOptions()->axis();
  return make_block_copy_kernel(op, exec, piece_copies(op.input(0), outputs_of(op), axis, PieceDirection::kScatter),
                                kernel);
}

}  // namespace bespoke::rt::xnnpack
