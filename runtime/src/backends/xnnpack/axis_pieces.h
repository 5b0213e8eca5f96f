// CONCAT and SPLIT move the same thing in opposite directions: a whole tensor
// cut into pieces along one axis. In memory order (NHWC for rank 4) the axis
// splits every tensor into the same number of rows; piece i owns a column
// band of every row of the whole. One strided block copy per piece.
#pragma once

#include <vector>

#include "backends/xnnpack/block_copy.h"

namespace bespoke::rt::xnnpack {

// True if `pieces` have the rank of `whole`, equal it on every dimension but
// `axis`, and their sizes along `axis` add up to its size there.
bool pieces_tile_axis(const TensorInfo& whole, const std::vector<const TensorInfo*>& pieces, int axis);

enum class PieceDirection { kGather, kScatter };  // pieces -> whole (CONCAT), whole -> pieces (SPLIT)

// The copies between `whole` and its `pieces` (operator inputs / outputs in
// order: for kGather piece i is input i, for kScatter output i).
std::vector<BlockCopy> piece_copies(const TensorInfo& whole, const std::vector<const TensorInfo*>& pieces, int axis,
                                    PieceDirection direction);

}  // namespace bespoke::rt::xnnpack
