#include "core/model_cost.h"

namespace bespoke::rt {

uint64_t operator_macs(const ModelView& model, int op) {
  const OperatorInfo& info = model.op(op);
  if (info.opcode == fb::OpCode::BATCH_MATMUL && info.inputs.size() == 2 && !info.outputs.empty()) {
    // Every output element is a dot product over K (A's last dim).
    const TensorInfo& a = model.tensor(info.inputs[0]);
    return model.tensor(info.outputs[0]).element_count * static_cast<uint64_t>(a.dim(a.rank - 1));
  }
  switch (info.opcode) {
    case fb::OpCode::CONV_2D:
    case fb::OpCode::CONV_TRANSPOSE_2D:
    case fb::OpCode::FULLY_CONNECTED: break;
    default: return 0;
  }
  if (info.inputs.size() < 2 || info.inputs[1] < 0 || info.outputs.empty()) return 0;
  const TensorInfo& weights = model.tensor(info.inputs[1]);
  const TensorInfo& output = model.tensor(info.outputs[0]);
  if (output.rank < 2 || output.dim(1) <= 0) return 0;
  // Every output element of a channel takes one pass over that channel's
  // weights: (outputs / channels) x weights. Exact for convolutions and fully
  // connected layers; an upper bound for transposed convolutions.
  const uint64_t positions = output.element_count / static_cast<uint64_t>(output.dim(1));
  return positions * weights.element_count;
}

double mean_macs_per_operator(const ModelView& model) {
  const size_t count = model.operator_count();
  if (count == 0) return 0.0;
  double total = 0.0;
  for (size_t i = 0; i < count; ++i) total += static_cast<double>(operator_macs(model, static_cast<int>(i)));
  return total / static_cast<double>(count);
}

}  // namespace bespoke::rt
