// The oneDNN backend's operator files: for each, `supports_<file>`, a check
// of whether oneDNN computes exactly the schema's semantics for this instance
// (shapes and options), and `create_<file>`, the kernel factory, both defined
// in `<file>.cpp`. onednn_backend.cpp maps opcodes to them (operator_file()
// in backends/backend.h names the file of every opcode).
//
// Common contract: supports_*() is cheap, never fails and is only called for
// operators whose tensors are all FLOAT32 (checked by the backend);
// create_*() is only called after supports_*() returned true, with the
// OpenMP thread count of the session already in effect.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/onednn/attributes.h"
#include "backends/onednn/onednn_context.h"
#include "backends/onednn/primitive_kernel.h"
#include "core/model_view.h"

namespace bespoke::rt::onednn {

// What every kernel factory needs from the backend and the session (the
// other backends' factories take the session's ExecutionContext instead).
struct KernelEnv {
  std::shared_ptr<Context> context;
  int num_threads = 1;
};

// An empty PrimitiveKernel whose messages name `op`.
std::unique_ptr<PrimitiveKernel> new_kernel(const OperatorRef& op, const KernelEnv& env);

// The common one-primitive kernel: `op_desc` (an initialised oneDNN
// operation descriptor) with the backend's attributes plus `post_ops`,
// reading operator input 0 as `src` and writing output 0 as `dst`.
Status create_single_primitive_kernel(const OperatorRef& op, const KernelEnv& env, const void* op_desc,
                                      const std::vector<EltwiseStep>& post_ops, const dnnl_memory_desc_t& src,
                                      const dnnl_memory_desc_t& dst, std::unique_ptr<Kernel>* kernel);
// The same from a primitive descriptor created by the caller.
Status create_single_primitive_kernel(const OperatorRef& op, const KernelEnv& env, const_dnnl_primitive_desc_t pd,
                                      const dnnl_memory_desc_t& src, const dnnl_memory_desc_t& dst,
                                      std::unique_ptr<Kernel>* kernel);

#define BSP_ONEDNN_OPERATOR(file)              \
  bool supports_##file(const OperatorRef& op); \
  Status create_##file(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel);

BSP_ONEDNN_OPERATOR(conv2d)               // CONV_2D
BSP_ONEDNN_OPERATOR(conv_transpose2d)     // CONV_TRANSPOSE_2D
BSP_ONEDNN_OPERATOR(fully_connected)      // FULLY_CONNECTED
BSP_ONEDNN_OPERATOR(pool2d)               // MAX_POOL_2D, AVERAGE_POOL_2D
BSP_ONEDNN_OPERATOR(global_average_pool)  // GLOBAL_AVERAGE_POOL
BSP_ONEDNN_OPERATOR(binary)               // ADD, SUB, MUL, DIV
BSP_ONEDNN_OPERATOR(unary)                // RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, TANH, SQRT
BSP_ONEDNN_OPERATOR(softmax)              // SOFTMAX
BSP_ONEDNN_OPERATOR(concat)               // CONCAT
BSP_ONEDNN_OPERATOR(batch_norm)           // BATCH_NORM
BSP_ONEDNN_OPERATOR(resize)               // RESIZE
BSP_ONEDNN_OPERATOR(reduce_mean)          // REDUCE_MEAN

#undef BSP_ONEDNN_OPERATOR

}  // namespace bespoke::rt::onednn
