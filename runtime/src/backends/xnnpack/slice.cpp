// SLICE with step 1 along a single dimension (every other dimension kept
// whole): in memory order, one strided xnn copy_nc_x32 of the kept band.
// Several sliced dimensions or strides > 1 go to another backend.
#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

// The single sliced logical axis, -1 if nothing is cut (a plain copy), or
// -2 if the slice is not a single step-1 band.
int sliced_axis(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_SliceOptions();
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  int axis = -1;
  for (int d = 0; d < x.rank; ++d) {
    const auto i = static_cast<flatbuffers::uoffset_t>(d);
    const int64_t start = o->starts()->Get(i), end = o->ends()->Get(i), step = o->steps()->Get(i);
    if (start < 0 || end > x.dim(d) || start >= end || step < 1) return -2;
    const int64_t length = (end - start + step - 1) / step;
    if (length != y.dim(d)) return -2;
    if (length == x.dim(d)) continue;  // whole dimension (start 0, step 1)
    if (axis != -1 || (step != 1 && length > 1)) return -2;
    axis = d;
  }
  return axis;
}

}  // namespace

bool supports_slice(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_SliceOptions();
  if (o == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const auto rank = static_cast<flatbuffers::uoffset_t>(x.rank);
  if (o->starts() == nullptr || o->ends() == nullptr || o->steps() == nullptr || o->starts()->size() != rank ||
      o->ends()->size() != rank || o->steps()->size() != rank || op.output(0).rank != x.rank) {
    return false;
  }
  return sliced_axis(op) != -2;
}

Status create_slice(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = op.input(0);
  const int axis = sliced_axis(op);
  BlockCopy copy;
  if (axis < 0) {
    copy.row_length = copy.source_stride = copy.destination_stride = x.element_count;
  } else {
    const int position = memory_position(x.rank, axis);
    const Shape stored = memory_shape(x);
    const size_t inner = stored.product(position + 1, stored.rank);
    const size_t start = static_cast<size_t>(
        op.info().op->options_as_SliceOptions()->starts()->Get(static_cast<flatbuffers::uoffset_t>(axis)));
    copy.rows = stored.product(0, position);
    copy.row_length = static_cast<size_t>(op.output(0).dim(axis)) * inner;
    copy.source_stride = stored[position] * inner;
    copy.destination_stride = copy.row_length;
    copy.source_offset = start * inner;
  }
  return make_block_copy_kernel(op, exec, {copy}, kernel);
}

}  // namespace bespoke::rt::xnnpack
