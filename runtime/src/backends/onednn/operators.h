// The operators of the oneDNN backend: for each, a check of whether oneDNN
// computes exactly the schema's semantics for this instance (shapes and
// options), and the kernel factory. One operator (family) per file; the
// backend dispatches on the opcode (onednn_backend.cpp).
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

// One operator of a verified model.
struct OpRef {
  const ModelView& model;
  int index;

  const OperatorInfo& op() const { return model.op(index); }
  size_t input_count() const { return op().inputs.size(); }
  size_t output_count() const { return op().outputs.size(); }
  bool has_input(size_t i) const { return i < input_count() && op().inputs[i] >= 0; }
  // Only for present inputs.
  const TensorInfo& input(size_t i) const { return model.tensor(op().inputs[i]); }
  const TensorInfo& output(size_t i) const { return model.tensor(op().outputs[i]); }
};

// What every kernel factory needs from the backend and the session.
struct KernelEnv {
  std::shared_ptr<Context> context;
  int num_threads = 1;
};

// "operator 3 'conv1' (CONV_2D)".
std::string describe(const OpRef& op);
std::unique_ptr<PrimitiveKernel> new_kernel(const OpRef& op, const KernelEnv& env);

using KernelOut = std::unique_ptr<Kernel>*;

// The common one-primitive kernel: `op_desc` (an initialised oneDNN
// operation descriptor) with the backend's attributes plus `post_ops`,
// reading operator input 0 as `src` and writing output 0 as `dst`.
Status create_single_primitive_kernel(const OpRef& op, const KernelEnv& env, const void* op_desc,
                                      const std::vector<EltwiseStep>& post_ops, const dnnl_memory_desc_t& src,
                                      const dnnl_memory_desc_t& dst, KernelOut kernel);
// The same from a primitive descriptor created by the caller.
Status create_single_primitive_kernel(const OpRef& op, const KernelEnv& env, const_dnnl_primitive_desc_t pd,
                                      const dnnl_memory_desc_t& src, const dnnl_memory_desc_t& dst, KernelOut kernel);

bool supports_conv2d(const OpRef& op);
Status create_conv2d(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_conv_transpose2d(const OpRef& op);
Status create_conv_transpose2d(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_fully_connected(const OpRef& op);
Status create_fully_connected(const OpRef& op, const KernelEnv& env, KernelOut kernel);
// MAX_POOL_2D and AVERAGE_POOL_2D.
bool supports_pool2d(const OpRef& op);
Status create_pool2d(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_global_average_pool(const OpRef& op);
Status create_global_average_pool(const OpRef& op, const KernelEnv& env, KernelOut kernel);
// ADD, SUB, MUL, DIV.
bool supports_binary(const OpRef& op);
Status create_binary(const OpRef& op, const KernelEnv& env, KernelOut kernel);
// RELU, CLIP, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, SILU, TANH, SQRT.
bool supports_eltwise(const OpRef& op);
Status create_eltwise(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_softmax(const OpRef& op);
Status create_softmax(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_concat(const OpRef& op);
Status create_concat(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_batch_norm(const OpRef& op);
Status create_batch_norm(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_resize(const OpRef& op);
Status create_resize(const OpRef& op, const KernelEnv& env, KernelOut kernel);
bool supports_reduce_mean(const OpRef& op);
Status create_reduce_mean(const OpRef& op, const KernelEnv& env, KernelOut kernel);

}  // namespace bespoke::rt::onednn
