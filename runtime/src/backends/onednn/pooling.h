// 2-D pooling on NHWC tensors, shared by MAX_POOL_2D / AVERAGE_POOL_2D
// (pool2d.cpp) and GLOBAL_AVERAGE_POOL (global_average_pool.cpp).
#pragma once

#include <oneapi/dnnl/dnnl.h>

#include "backends/onednn/operators.h"
#include "backends/onednn/window.h"

namespace bespoke::rt::onednn {

// True if every window position along one dim covers at least one input
// cell. Otherwise max pooling would see only padding (the schema's -inf,
// oneDNN's lowest finite float) and exclude-padding averaging would divide by 0.
bool every_window_reaches_input(int64_t input, int64_t output, int64_t kernel, int64_t stride, int64_t dilation,
                                int64_t pad_begin);

// Pooling kernel from input 0 (rank 4, NHWC) to output 0 described as `dst`
// (rank 4).
Status create_pooling_kernel(const OperatorRef& op, const KernelEnv& env, dnnl_alg_kind_t algorithm,
                             const WindowParams& window, const dnnl_memory_desc_t& dst,
                             std::unique_ptr<Kernel>* kernel);

// Average over the whole image: [N, C, H, W] -> [N, C, 1, 1], also the
// storage of an [N, C] row-major output.
Status create_global_average_kernel(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel);

}  // namespace bespoke::rt::onednn
