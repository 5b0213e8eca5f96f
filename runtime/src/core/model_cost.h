// Rough arithmetic cost of a model, for AUTO's backend rule: multiply-adds
// of the weighted operators (convolutions, transposed convolutions, fully
// connected) and of batched matrix products, computed from tensor shapes
// only. Verified models only.
#pragma once

#include <cstdint>

#include "core/model_view.h"

namespace bespoke::rt {

// Multiply-accumulates of operator `op` (0 for operators without weights).
uint64_t operator_macs(const ModelView& model, int op);
// Total multiply-accumulates divided by the number of operators.
double mean_macs_per_operator(const ModelView& model);

}  // namespace bespoke::rt
