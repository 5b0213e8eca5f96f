// Conv -> BatchNormalization (inference) folded into the Conv:
//   s = scale / sqrt(var + epsilon);  W'[m] = W[m] * s[m];  B' = (B - mean) * s + beta
// Requires float32 constant weights and statistics, and a Conv output that only
// the BatchNormalization reads. New constants are created (the old weight may be shared).
#include <cmath>

#include "ir/fusion_util.h"
#include "ir/op_params.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

// Float32 constant input i with `count` elements (count < 0: any), or nullptr.
const TensorData* float_constant(const Graph& g, const Node& n, size_t i, int64_t count) {
  const TensorData* t = constant_input(g, n, i);
  if (!t || t->dtype != DType::kF32 || t->bytes.size() != static_cast<size_t>(t->elements()) * sizeof(float))
    return nullptr;
  return count < 0 || t->elements() == count ? t : nullptr;
}

// Statistics folded into per-channel scale and shift; nullopt if unusable.
std::optional<std::pair<std::vector<double>, std::vector<double>>> bn_affine(const Graph& g, const Node& bn,
                                                                               int64_t channels) {
  const TensorData* gamma = float_constant(g, bn, 1, channels);
  const TensorData* beta = float_constant(g, bn, 2, channels);
  const TensorData* mean = float_constant(g, bn, 3, channels);
  const TensorData* var = float_constant(g, bn, 4, channels);
  if (!gamma || !beta || !mean || !var) return std::nullopt;
  const double eps = bn.get_float("epsilon", 1e-5);
  std::vector<double> scale(static_cast<size_t>(channels)), shift(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const double denom = static_cast<double>(var->as<float>()[c]) + eps;
    if (!(denom > 0)) return std::nullopt;
    scale[static_cast<size_t>(c)] = gamma->as<float>()[c] / std::sqrt(denom);
    shift[static_cast<size_t>(c)] = beta->as<float>()[c] - mean->as<float>()[c] * scale[static_cast<size_t>(c)];
  }
  return std::make_pair(std::move(scale), std::move(shift));
}

// Extra BN outputs (training statistics) must be unused for the fold to be exact.
bool only_first_output_used(const UseMap& uses, const Node& bn) {
  for (size_t k = 1; k < bn.outputs.size(); ++k) {
    const int v = bn.outputs[k];
    if (v >= 0 && (!uses.readers[static_cast<size_t>(v)].empty() || uses.graph_output[static_cast<size_t>(v)]))
      return false;
  }
  return bn.get_int("training_mode", 0) == 0;
}

}  // namespace

int fold_batch_norm(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  int folded = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& bn = g.nodes[i];
    if (bn.op != "BatchNormalization" || bn.inputs.size() < 5 || bn.outputs.empty() || bn.outputs[0] < 0) continue;
    if (!only_first_output_used(uses, bn)) continue;
    const int x = bn.inputs[0];
    const int c = producer_with_op(g, uses, x, "Conv", dead);
    if (c < 0 || !uses.private_to(x, static_cast<int>(i))) continue;
    Node& conv = g.nodes[static_cast<size_t>(c)];
    if (conv.has("activation") || conv.outputs.size() != 1) continue;
    const TensorData* w = float_constant(g, conv, 1, -1);
    if (!w || w->shape.size() < 3 || w->shape[0] < 1) continue;
    const int64_t m = w->shape[0];
    const TensorData* b = has_input(conv, 2) ? float_constant(g, conv, 2, m) : nullptr;
    if (has_input(conv, 2) && !b) continue;
    const auto affine = bn_affine(g, bn, m);
    if (!affine) continue;
    const auto& [scale, shift] = *affine;

    TensorData new_w = *w;
    const int64_t per_channel = w->elements() / m;
    for (int64_t o = 0; o < m; ++o)
      for (int64_t k = 0; k < per_channel; ++k) {
        float& e = new_w.as<float>()[o * per_channel + k];
        e = static_cast<float>(e * scale[static_cast<size_t>(o)]);
      }
    std::vector<float> new_b(static_cast<size_t>(m));
    for (int64_t o = 0; o < m; ++o) {
      const double bias = b ? b->as<float>()[o] : 0.0;
      new_b[static_cast<size_t>(o)] = static_cast<float>(bias * scale[static_cast<size_t>(o)] + shift[static_cast<size_t>(o)]);
    }
    const std::string base = conv.name.empty() ? g.values[static_cast<size_t>(x)].name : conv.name;
    const int w_id = g.add_constant(g.unique_name(base + ".weight_bn"), std::move(new_w));
    const int b_id = g.add_constant(g.unique_name(base + ".bias_bn"), TensorData::from_floats({m}, new_b));
    conv.inputs.resize(3, -1);
    conv.inputs[1] = w_id;
    conv.inputs[2] = b_id;
    conv.outputs[0] = g.nodes[i].outputs[0];
    dead[i] = true;
    ++folded;
  }
  return erase_fused(g, dead, folded);
}

}  // namespace bespoke::ir
