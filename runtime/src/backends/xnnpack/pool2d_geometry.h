// Shape checks shared by MAX_POOL_2D and AVERAGE_POOL_2D.
#pragma once

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

// Geometry of a Pool2DOptions with dilation normalised to 1 along a
// dimension whose window is 1 wide (dilation has no effect there).
struct PoolGeometry {
  int kernel_h, kernel_w, stride_h, stride_w, dilation_h, dilation_w;
  int pad_top, pad_left, pad_bottom, pad_right;

  bool any_padding() const { return (pad_top | pad_left | pad_bottom | pad_right) != 0; }
  bool any_dilation() const { return dilation_h > 1 || dilation_w > 1; }
  // Every window overlaps the input (padding narrower than the window).
  bool windows_overlap_input() const {
    return pad_top < kernel_h && pad_bottom < kernel_h && pad_left < kernel_w && pad_right < kernel_w;
  }
};

PoolGeometry pool_geometry(const fb::Pool2DOptions& o);

// Rank-4 FLOAT32 input and output, positive window parameters, an output
// shape matching the window arithmetic, and more than one cell per window
// (XNNPACK rejects 1x1 pooling).
bool pool_shapes_supported(const OperatorRef& op, const PoolGeometry& g);

}  // namespace bespoke::rt::xnnpack
