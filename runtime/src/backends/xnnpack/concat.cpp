// CONCAT along any axis: input i fills a column band of every output row
// (see axis_pieces.h). One strided xnn copy_nc_x32 per input.
#include "backends/xnnpack/axis_pieces.h"
#include "backends/xnnpack/operators.h"

namespace bespoke::rt::xnnpack {
namespace {

std::vector<const TensorInfo*> inputs_of(const OperatorRef& op) {
  std::vector<const TensorInfo*> pieces;
  for (size_t i = 0; i < op.info().inputs.size(); ++i) pieces.push_back(&op.input(i));
  return pieces;
}

}  // namespace

bool supports_concat(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_ConcatOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.empty()) return false;
  for (size_t i = 0; i < op.info().inputs.size(); ++i) {
    if (!op.has_input(i)) return false;
  }
  return pieces_tile_axis(op.output(0), inputs_of(op), o->axis());
}

Status create_concat(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const int axis = op.info().op->options_as_ConcatOptions()->axis();
  return make_block_copy_kernel(op, exec, piece_copies(op.output(0), inputs_of(op), axis, PieceDirection::kGather),
                                kernel);
}

}  // namespace bespoke::rt::xnnpack
