#include "backends/xnnpack/axis_pieces.h"

#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

bool pieces_tile_axis(const TensorInfo& whole, const std::vector<const TensorInfo*>& pieces, int axis) {
  if (pieces.empty() || axis < 0 || axis >= whole.rank) return false;
  int64_t total = 0;
  for (const TensorInfo* piece : pieces) {
    if (piece->rank != whole.rank) return false;
    for (int d = 0; d < whole.rank; ++d) {
      if (d != axis && piece->dim(d) != whole.dim(d)) return false;
    }
    total += piece->dim(axis);
  }
  return total == whole.dim(axis);
}

std::vector<BlockCopy> piece_copies(const TensorInfo& whole, const std::vector<const TensorInfo*>& pieces, int axis,
                                    PieceDirection direction) {
  const int position = memory_position(whole.rank, axis);
  const Shape stored = memory_shape(whole);
  const size_t rows = stored.product(0, position);
  const size_t whole_row = stored.product(position, stored.rank);
  std::vector<BlockCopy> copies;
  size_t offset = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const size_t piece_row = memory_shape(*pieces[i]).product(position, stored.rank);
    BlockCopy copy;
    copy.rows = rows;
    copy.row_length = piece_row;
    if (direction == PieceDirection::kGather) {
      copy.source_stride = piece_row;
      copy.destination_stride = whole_row;
      copy.destination_offset = offset;
      copy.source = i;
    } else {
      copy.source_stride = whole_row;
      copy.destination_stride = piece_row;
      copy.source_offset = offset;
      copy.destination = i;
    }
    copies.push_back(copy);
    offset += piece_row;
  }
  return copies;
}

}  // namespace bespoke::rt::xnnpack
