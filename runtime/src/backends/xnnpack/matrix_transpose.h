// Batched matrix transpose of 32-bit values through XNNPACK's channel
// shuffle: viewing each row of groups * group_channels values as a
// [groups][group_channels] matrix, xnn_*_channel_shuffle_nc_x32 writes its
// transpose [group_channels][groups]. With groups = H*W and group_channels
// = C that turns an NHWC image into NCHW, and the other way round.
#pragma once

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

struct MatrixTranspose {
  size_t batch;  // number of matrices
  size_t rows;   // >= 2 (XNNPACK rejects a single group)
  size_t cols;   // >= 1
};

// Appends the operator to `kernel`.
Status create_matrix_transpose(XnnKernel& kernel, const MatrixTranspose& t);
// Sets up operator `index` of `kernel`, created by create_matrix_transpose.
Status setup_matrix_transpose(const XnnKernel& kernel, size_t index, const MatrixTranspose& t, const void* input,
                              void* output);

}  // namespace bespoke::rt::xnnpack
