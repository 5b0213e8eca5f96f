// Fused activations (schema FusedActivation), applied by the producing kernel
// after the bias: NONE, RELU (clamp below at 0) and CLIP (clamp to [min, max]).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>

#include "schema/bespoke_generated.h"

namespace bespoke::rt::reference {

class FusedActivation {
 public:
  FusedActivation() = default;
  // `activation` may be nullptr (field absent = NONE).
  explicit FusedActivation(const fb::FusedActivation* activation) {
    if (activation == nullptr) return;
    switch (activation->type()) {
      case fb::ActivationType::RELU:
        active_ = true;
        min_ = 0.0f;
        break;
      case fb::ActivationType::CLIP:
        active_ = true;
        min_ = activation->min();
        max_ = activation->max();
        break;
      default: break;
    }
  }

  // True for the activation types the backend knows.
  static bool is_known(const fb::FusedActivation* activation) {
    if (activation == nullptr) return true;
    const auto type = activation->type();
    return type == fb::ActivationType::NONE || type == fb::ActivationType::RELU || type == fb::ActivationType::CLIP;
  }

  float apply(float x) const { return std::min(std::max(x, min_), max_); }
  void apply(float* data, size_t count) const {
    if (!active_) return;
    for (size_t i = 0; i < count; ++i) data[i] = apply(data[i]);
  }

 private:
  bool active_ = false;
  float min_ = -std::numeric_limits<float>::infinity();
  float max_ = std::numeric_limits<float>::infinity();
};

}  // namespace bespoke::rt::reference
