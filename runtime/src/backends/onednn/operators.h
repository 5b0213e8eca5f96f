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

// The operator files of this backend. Not here: reshape, transpose, pad,
// channel_shuffle, slice, split, batch_matmul (no oneDNN primitive with
// exactly their semantics is used); they run on another backend.
// One list, read as written:
// clang-format off
#define BSP_ONEDNN_OPERATOR_FILES(X) X(conv2d) X(conv_transpose2d) X(fully_connected) X(pool2d) X(global_average_pool) \
  X(binary) X(unary) X(softmax) X(concat) X(batch_norm) X(resize) X(reduce_mean)
// clang-format on

#define BSP_ONEDNN_DECLARE(file) BSP_DECLARE_OPERATOR_FILE(bool, KernelEnv, file)
BSP_ONEDNN_OPERATOR_FILES(BSP_ONEDNN_DECLARE)
#undef BSP_ONEDNN_DECLARE

}  // namespace bespoke::rt::onednn
