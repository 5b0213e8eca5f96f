// The XNNPACK backend's operator files: for each, `supports_<file>` (cheap;
// true only where XNNPACK computes exactly the schema's semantics) and
// `create_<file>`, the kernel factory, both defined in `<file>.cpp`.
// xnnpack_backend.cpp maps opcodes to them (operator_file() in
// backends/backend.h names the file of every opcode).
#pragma once

#include <memory>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

// The operator files of this backend. Not here: batch_matmul (XNNPACK's
// operator API has no batched matrix product); TANH, in unary, has no XNNPACK
// operator in this version either. Those run on another backend.
// One list, read as written:
// clang-format off
#define BSP_XNNPACK_OPERATOR_FILES(X) X(conv2d) X(conv_transpose2d) X(fully_connected) X(pool2d) \
  X(global_average_pool) X(binary) X(unary) X(softmax) X(concat) X(reshape) X(transpose) X(pad) X(resize) \
  X(channel_shuffle) X(reduce_mean) X(slice) X(split) X(batch_norm)
// clang-format on

#define BSP_XNNPACK_DECLARE(file) BSP_DECLARE_OPERATOR_FILE(bool, ExecutionContext, file)
BSP_XNNPACK_OPERATOR_FILES(BSP_XNNPACK_DECLARE)
#undef BSP_XNNPACK_DECLARE

}  // namespace bespoke::rt::xnnpack
