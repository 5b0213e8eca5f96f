// The reference backend's operators: for each, an option/shape check (run by
// supports() and again by create_kernel()) and a kernel factory. Each pair is
// defined in the operator's own file; registry.cpp maps opcodes to them.
//
// Checks assume what verify_model() guarantees (indices, arity, consistent
// shapes) but re-validate the parameters a kernel indexes memory with, so a
// gap in the verifier becomes an error, not an out-of-bounds access.
#pragma once

#include <memory>

#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

#define BSP_REFERENCE_OPERATOR(name)             \
  Status check_##name(const KernelArgs& args); \
  Status create_##name(const KernelArgs& args, std::unique_ptr<Kernel>* kernel);

BSP_REFERENCE_OPERATOR(conv2d)
BSP_REFERENCE_OPERATOR(conv_transpose2d)
BSP_REFERENCE_OPERATOR(fully_connected)
BSP_REFERENCE_OPERATOR(max_pool2d)
BSP_REFERENCE_OPERATOR(average_pool2d)
BSP_REFERENCE_OPERATOR(global_average_pool)
BSP_REFERENCE_OPERATOR(add)
BSP_REFERENCE_OPERATOR(sub)
BSP_REFERENCE_OPERATOR(mul)
BSP_REFERENCE_OPERATOR(div)
BSP_REFERENCE_OPERATOR(relu)
BSP_REFERENCE_OPERATOR(clip)
BSP_REFERENCE_OPERATOR(leaky_relu)
BSP_REFERENCE_OPERATOR(sigmoid)
BSP_REFERENCE_OPERATOR(hard_sigmoid)
BSP_REFERENCE_OPERATOR(hard_swish)
BSP_REFERENCE_OPERATOR(silu)
BSP_REFERENCE_OPERATOR(tanh)
BSP_REFERENCE_OPERATOR(softmax)
BSP_REFERENCE_OPERATOR(concat)
BSP_REFERENCE_OPERATOR(reshape)
BSP_REFERENCE_OPERATOR(transpose)
BSP_REFERENCE_OPERATOR(pad)
BSP_REFERENCE_OPERATOR(resize)
BSP_REFERENCE_OPERATOR(channel_shuffle)
BSP_REFERENCE_OPERATOR(reduce_mean)
BSP_REFERENCE_OPERATOR(slice)
BSP_REFERENCE_OPERATOR(split)
BSP_REFERENCE_OPERATOR(batch_norm)
BSP_REFERENCE_OPERATOR(sqrt)
BSP_REFERENCE_OPERATOR(batch_matmul)

#undef BSP_REFERENCE_OPERATOR

}  // namespace bespoke::rt::reference
