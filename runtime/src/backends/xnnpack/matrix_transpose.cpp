#include "backends/xnnpack/matrix_transpose.h"

namespace bespoke::rt::xnnpack {

Status create_matrix_transpose(XnnKernel& kernel, const MatrixTranspose& t) {
  return kernel.create_operator("xnn_create_channel_shuffle_nc_x32", [&](xnn_operator_t* created) {
    return xnn_create_channel_shuffle_nc_x32(t.rows, t.cols, t.rows * t.cols, t.rows * t.cols, 0, created);
  });
}

Status setup_matrix_transpose(const XnnKernel& kernel, size_t index, const MatrixTranspose& t, const void* input,
                              void* output) {
  return kernel.check("xnn_setup_channel_shuffle_nc_x32",
                      xnn_setup_channel_shuffle_nc_x32(kernel.op(index), t.batch, input, output, kernel.threadpool()));
}

}  // namespace bespoke::rt::xnnpack
