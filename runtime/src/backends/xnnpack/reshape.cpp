// RESHAPE keeps the logical element order. A rank-4 tensor is stored NHWC
// here, so the kernel is:
//  - a plain copy when input and output are both stored in logical order
//    (rank != 4, or C == 1, or H * W == 1);
//  - NHWC -> NCHW (a batched transpose, see matrix_transpose.h) when only the
//    input is rank-4 NHWC;
//  - NCHW -> NHWC when only the output is;
//  - both, through kernel-owned scratch, for a rank-4 to rank-4 reshape.
#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/matrix_transpose.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {

bool supports_reshape(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.element_count != y.element_count) return false;
  // A constant input is only read from kernel storage by the plain copy.
  return !x.is_constant() || (layout_invariant(x) && layout_invariant(y));
}

Status create_reshape(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  const bool unpack_input = !layout_invariant(x);  // NHWC input -> logical order
  const bool pack_output = !layout_invariant(y);   // logical order -> NHWC output
  if (!unpack_input && !pack_output) {
    BlockCopy copy;
    copy.row_length = copy.source_stride = copy.destination_stride = x.element_count;
    return make_block_copy_kernel(op, exec, {copy}, kernel);
  }
  // Each image [H*W][C] <-> [C][H*W].
  const MatrixTranspose to_logical{static_cast<size_t>(x.dim(0)), static_cast<size_t>(x.dim(2) * x.dim(3)),
                                   static_cast<size_t>(x.dim(1))};
  const MatrixTranspose to_nhwc{static_cast<size_t>(y.dim(0)), static_cast<size_t>(y.dim(1)),
                                static_cast<size_t>(y.dim(2) * y.dim(3))};
  FloatBuffer scratch(unpack_input && pack_output ? x.element_count : 0);
  auto result = make_kernel(
      op, exec, [=, scratch = std::move(scratch)](XnnKernel& k, const void* const* in, void* const* out) mutable {
        if (!pack_output) return setup_matrix_transpose(k, 0, to_logical, in[0], out[0]);
        if (!unpack_input) return setup_matrix_transpose(k, 0, to_nhwc, in[0], out[0]);
        BSP_RETURN_IF_ERROR(setup_matrix_transpose(k, 0, to_logical, in[0], scratch.data()));
        return setup_matrix_transpose(k, 1, to_nhwc, scratch.data(), out[0]);
      });
  if (unpack_input) BSP_RETURN_IF_ERROR(create_matrix_transpose(*result, to_logical));
  if (pack_output) BSP_RETURN_IF_ERROR(create_matrix_transpose(*result, to_nhwc));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
