// verify_model: the only way a ModelView is made. Runs the FlatBuffers
// verifier, then semantic checks (indices, shapes, buffer sizes, operator
// parameters against input shapes, execution order, size limits). Every
// failure names what is wrong and where ("operator 12 'conv3' (CONV_2D):
// weight tensor 7 has 3 dims, expected 4").
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/model_view.h"
#include "core/status.h"

namespace bespoke::rt {

// Hard limits that keep a hostile file from making us allocate without bound.
struct VerifyLimits {
  size_t max_tensors = 1u << 20;
  size_t max_operators = 1u << 20;
  size_t max_tensor_bytes = size_t{1} << 31;  // one tensor
  // Sum of non-constant tensors: 8 GiB, or the address space on 32-bit targets.
  size_t max_activation_bytes = static_cast<size_t>(std::min<uint64_t>(uint64_t{1} << 33, SIZE_MAX));
  int max_operator_arity = 4096;
  // Sum over operators of inputs + outputs: bounds the verifier's work even
  // when a hostile file shares one huge index vector between many operators.
  size_t max_operator_io_total = size_t{1} << 24;
};

// `data` must be 8-byte aligned (64 for in-place weights) and outlive `out`.
Status verify_model(const void* data, size_t size, ModelView* out, const VerifyLimits& limits = {});

}  // namespace bespoke::rt
