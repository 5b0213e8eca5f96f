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

#define BSP_REFERENCE_OPERATOR(file)             \
  Status supports_##file(const OperatorRef& op); \
  Status create_##file(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel);

BSP_REFERENCE_OPERATOR(conv2d)               // CONV_2D
BSP_REFERENCE_OPERATOR(conv_transpose2d)     // CONV_TRANSPOSE_2D
BSP_REFERENCE_OPERATOR(fully_connected)      // FULLY_CONNECTED
BSP_REFERENCE_OPERATOR(pool2d)               // MAX_POOL_2D, AVERAGE_POOL_2D
BSP_REFERENCE_OPERATOR(global_average_pool)  // GLOBAL_AVERAGE_POOL
BSP_REFERENCE_OPERATOR(binary)               // ADD, SUB, MUL, DIV
BSP_REFERENCE_OPERATOR(unary)            // RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, TANH, SQRT
BSP_REFERENCE_OPERATOR(softmax)          // SOFTMAX
BSP_REFERENCE_OPERATOR(concat)           // CONCAT
BSP_REFERENCE_OPERATOR(reshape)          // RESHAPE
BSP_REFERENCE_OPERATOR(transpose)        // TRANSPOSE
BSP_REFERENCE_OPERATOR(pad)              // PAD
BSP_REFERENCE_OPERATOR(resize)           // RESIZE
BSP_REFERENCE_OPERATOR(channel_shuffle)  // CHANNEL_SHUFFLE
BSP_REFERENCE_OPERATOR(reduce_mean)      // REDUCE_MEAN
BSP_REFERENCE_OPERATOR(slice)            // SLICE
BSP_REFERENCE_OPERATOR(split)            // SPLIT
BSP_REFERENCE_OPERATOR(batch_norm)       // BATCH_NORM
BSP_REFERENCE_OPERATOR(batch_matmul)     // BATCH_MATMUL

#undef BSP_REFERENCE_OPERATOR

}  // namespace bespoke::rt::reference
