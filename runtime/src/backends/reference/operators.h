// The reference backend's operator files: for each, `supports_<file>`, an
// option/shape check that says why it refuses (run by supports() and again
// by create_kernel()), and `create_<file>`, the kernel factory. Each pair is
// defined in `<file>.cpp`; reference_backend.cpp maps opcodes to them
// (operator_file() in backends/backend.h names the file of every opcode).
//
// Checks assume what verify_model() guarantees (indices, arity, consistent
// shapes) but re-validate the parameters a kernel indexes memory with, so a
// gap in the verifier becomes an error, not an out-of-bounds access.
#pragma once

#include <memory>

#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

// The operator files of this backend: one for every opcode.
// One list, read as written:
// clang-format off
#define BSP_REFERENCE_OPERATOR_FILES(X) X(conv2d) X(conv_transpose2d) X(fully_connected) X(pool2d) \
  X(global_average_pool) X(binary) X(unary) X(softmax) X(concat) X(reshape) X(transpose) X(pad) X(resize) \
  X(channel_shuffle) X(reduce_mean) X(slice) X(split) X(batch_norm) X(batch_matmul)
// clang-format on

#define BSP_REFERENCE_DECLARE(file) BSP_DECLARE_OPERATOR_FILE(Status, ExecutionContext, file)
BSP_REFERENCE_OPERATOR_FILES(BSP_REFERENCE_DECLARE)
#undef BSP_REFERENCE_DECLARE

}  // namespace bespoke::rt::reference
