#include "backends/onednn/attributes.h"

#include <cmath>

namespace bespoke::rt::onednn {

bool activation_supported(const fb::FusedActivation* activation) {
  if (activation == nullptr) return true;
  switch (activation->type()) {
    case fb::ActivationType::NONE:
    case fb::ActivationType::RELU: return true;
    case fb::ActivationType::CLIP:
      return !std::isnan(activation->min()) && !std::isnan(activation->max()) && activation->min() <= activation->max();
    default: return false;
  }
}

void append_activation(const fb::FusedActivation* activation, std::vector<EltwiseStep>* steps) {
  if (activation == nullptr) return;
  if (activation->type() == fb::ActivationType::RELU) {
    steps->push_back({dnnl_eltwise_relu, 0.0f, 0.0f});
  } else if (activation->type() == fb::ActivationType::CLIP) {
    steps->push_back({dnnl_eltwise_clip, activation->min(), activation->max()});
  }
}

Status make_attributes(const std::vector<EltwiseStep>& post_ops, AttrPtr* out) {
  dnnl_primitive_attr_t attr = nullptr;
  BSP_DNNL_CHECK(dnnl_primitive_attr_create(&attr));
  out->reset(attr);
  BSP_DNNL_CHECK(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user));
  BSP_DNNL_CHECK(dnnl_primitive_attr_set_fpmath_mode(attr, dnnl_fpmath_mode_strict));
  if (post_ops.empty()) return Status::Ok();
  dnnl_post_ops_t ops = nullptr;
  BSP_DNNL_CHECK(dnnl_post_ops_create(&ops));
  PostOpsPtr owned_ops(ops);
  for (const EltwiseStep& step : post_ops)
    BSP_DNNL_CHECK(dnnl_post_ops_append_eltwise(ops, 1.0f, step.algorithm, step.alpha, step.beta));
  BSP_DNNL_CHECK(dnnl_primitive_attr_set_post_ops(attr, ops));  // copies the list
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
