// The XNNPACK backend's operator files: for each, `supports_<file>` (cheap;
// true only where XNNPACK computes exactly the schema's semantics) and
// `create_<file>`, the kernel factory, both defined in `<file>.cpp`.
// xnnpack_backend.cpp maps opcodes to them (operator_file() in
// backends/backend.h names the file of every opcode).
#pragma once

#include <memory>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

#define BSP_XNNPACK_OPERATOR(file)             \
  bool supports_##file(const OperatorRef& op); \
  Status create_##file(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel);

BSP_XNNPACK_OPERATOR(conv2d)               // CONV_2D
BSP_XNNPACK_OPERATOR(conv_transpose2d)     // CONV_TRANSPOSE_2D
BSP_XNNPACK_OPERATOR(fully_connected)      // FULLY_CONNECTED
BSP_XNNPACK_OPERATOR(pool2d)               // MAX_POOL_2D, AVERAGE_POOL_2D
BSP_XNNPACK_OPERATOR(global_average_pool)  // GLOBAL_AVERAGE_POOL
BSP_XNNPACK_OPERATOR(binary)               // ADD, SUB, MUL, DIV
BSP_XNNPACK_OPERATOR(unary)                // RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, SQRT
BSP_XNNPACK_OPERATOR(softmax)              // SOFTMAX
BSP_XNNPACK_OPERATOR(concat)               // CONCAT
BSP_XNNPACK_OPERATOR(reshape)              // RESHAPE
BSP_XNNPACK_OPERATOR(transpose)            // TRANSPOSE
BSP_XNNPACK_OPERATOR(pad)                  // PAD
BSP_XNNPACK_OPERATOR(resize)               // RESIZE
BSP_XNNPACK_OPERATOR(channel_shuffle)      // CHANNEL_SHUFFLE
BSP_XNNPACK_OPERATOR(reduce_mean)          // REDUCE_MEAN
BSP_XNNPACK_OPERATOR(slice)                // SLICE
BSP_XNNPACK_OPERATOR(split)                // SPLIT
BSP_XNNPACK_OPERATOR(batch_norm)           // BATCH_NORM

#undef BSP_XNNPACK_OPERATOR

}  // namespace bespoke::rt::xnnpack
