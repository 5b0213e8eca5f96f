// Entry points of the XNNPACK backend's operator files: for each operator
// kind, a `<kind>_supported` check (cheap, exact semantics only) and a
// `create_<kind>_kernel` factory. xnnpack_backend.cpp maps opcodes to them.
#pragma once

#include <memory>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

using SupportedFn = bool (*)(const OpContext& ctx);
using CreateFn = Status (*)(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel);

#define BSP_XNNPACK_OPERATOR(kind)         \
  bool kind##_supported(const OpContext& ctx); \
  Status create_##kind##_kernel(const OpContext& ctx, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel);

BSP_XNNPACK_OPERATOR(conv2d)              // CONV_2D
BSP_XNNPACK_OPERATOR(conv_transpose2d)    // CONV_TRANSPOSE_2D
BSP_XNNPACK_OPERATOR(fully_connected)     // FULLY_CONNECTED
BSP_XNNPACK_OPERATOR(max_pool2d)          // MAX_POOL_2D
BSP_XNNPACK_OPERATOR(average_pool2d)      // AVERAGE_POOL_2D
BSP_XNNPACK_OPERATOR(global_average_pool) // GLOBAL_AVERAGE_POOL
BSP_XNNPACK_OPERATOR(binary)              // ADD, SUB, MUL, DIV
BSP_XNNPACK_OPERATOR(clamp)               // RELU, CLIP
BSP_XNNPACK_OPERATOR(leaky_relu)          // LEAKY_RELU
BSP_XNNPACK_OPERATOR(sigmoid)             // SIGMOID
BSP_XNNPACK_OPERATOR(hard_sigmoid)        // HARD_SIGMOID
BSP_XNNPACK_OPERATOR(hard_swish)          // HARD_SWISH
BSP_XNNPACK_OPERATOR(silu)                // SILU
BSP_XNNPACK_OPERATOR(softmax)             // SOFTMAX
BSP_XNNPACK_OPERATOR(concat)              // CONCAT
BSP_XNNPACK_OPERATOR(split)               // SPLIT
BSP_XNNPACK_OPERATOR(slice)               // SLICE
BSP_XNNPACK_OPERATOR(reshape)             // RESHAPE
BSP_XNNPACK_OPERATOR(transpose)           // TRANSPOSE
BSP_XNNPACK_OPERATOR(pad)                 // PAD
BSP_XNNPACK_OPERATOR(resize)              // RESIZE
BSP_XNNPACK_OPERATOR(channel_shuffle)     // CHANNEL_SHUFFLE
BSP_XNNPACK_OPERATOR(reduce_mean)         // REDUCE_MEAN
BSP_XNNPACK_OPERATOR(batch_norm)          // BATCH_NORM
BSP_XNNPACK_OPERATOR(square_root)         // SQRT

#undef BSP_XNNPACK_OPERATOR

}  // namespace bespoke::rt::xnnpack
