// The part CONV_2D, CONV_TRANSPOSE_2D and FULLY_CONNECTED have in common:
// their operation descriptor leaves the weight format to oneDNN
// (dnnl_format_tag_any), so the primitive picks the blocked layout its JIT
// kernel wants; the file's weights (input 1) are reordered into it once
// here, the bias (input 2, 1-D) is read in place from the model, and the
// fused activation becomes an eltwise post-op.
#pragma once

#include <oneapi/dnnl/dnnl.h>

#include "backends/onednn/operators.h"
#include "schema/bespoke_generated.h"

namespace bespoke::rt::onednn {

struct WeightedDescs {
  dnnl_memory_desc_t src;           // operator input 0 as stored
  dnnl_memory_desc_t dst;           // operator output 0 as stored
  dnnl_memory_desc_t file_weights;  // input 1 in the file's layout
  dnnl_memory_desc_t bias;          // input 2, used only when present
};

// `op_desc`: the initialised convolution / deconvolution / inner product
// descriptor built from these descs (weights as format_tag_any).
//
// `blocked_op_desc` (optional): the same operation with source and
// destination as format_tag_any too. When given and oneDNN picks a blocked
// activation layout for it, the kernel runs reorder (NHWC -> blocked),
// the primitive, reorder (blocked -> NHWC), with the blocked copies in
// buffers allocated at setup. Callers pass it only where measurements showed
// that this pays (see conv2d.cpp).
//
// `activation_as_post_op` false: the activation runs as a separate in-place
// eltwise step instead of a post-op (see conv_transpose2d.cpp for why).
Status create_weighted_kernel(const OperatorRef& op, const KernelEnv& env, const void* op_desc,
                              const WeightedDescs& descs, const fb::FusedActivation* activation,
                              std::unique_ptr<Kernel>* kernel, const void* blocked_op_desc = nullptr,
                              bool activation_as_post_op = true);

// Common supports() checks: weights constant with `weight_rank` dims, bias
// absent or a constant vector of `bias_length`, activation exact.
bool weights_and_bias_supported(const OperatorRef& op, int weight_rank, int64_t bias_length,
                                const fb::FusedActivation* activation);

}  // namespace bespoke::rt::onednn
