// Primitive attributes used by every kernel of the backend, and the mapping
// of the schema's fused activations onto eltwise post-ops.
#pragma once

#include <vector>

#include "backends/onednn/onednn_handles.h"
#include "schema/bespoke_generated.h"

namespace bespoke::rt::onednn {

// One eltwise step: see dnnl_eltwise_desc_t for alpha / beta per algorithm.
struct EltwiseStep {
  dnnl_alg_kind_t algorithm;
  float alpha;
  float beta;
};

// True if the fused activation (nullptr = NONE) maps exactly onto post-ops:
// NONE, RELU, and CLIP with min <= max (oneDNN's clip returns `min` where the
// schema's min(max(x, min), max) would return `max` if min > max).
bool activation_supported(const fb::FusedActivation* activation);
// Appends the post-op(s) for the activation to `steps` (nothing for NONE).
void append_activation(const fb::FusedActivation* activation, std::vector<EltwiseStep>* steps);

// Attributes with a user-managed scratchpad (the kernel allocates it at
// setup, so run() allocates nothing and kernels do not share hidden
// buffers), strict fp32 math (never the bf16/tf32 down-conversion that
// ONEDNN_DEFAULT_FPMATH_MODE could select), and `post_ops` in order.
Status make_attributes(const std::vector<EltwiseStep>& post_ops, AttrPtr* out);

}  // namespace bespoke::rt::onednn
