// Conv / ConvTranspose -> BatchNormalization (inference) folded into the layer:
//   s = scale / sqrt(var + epsilon);  W' = W * s[o] on every weight slice feeding output channel o;
//   B' = (B - mean) * s + beta
// (Which weight slice feeds which channel: WeightLayout in layer_folding.h.)
// Only the weight and bias inputs change: strides, pads, output_padding, ... are kept.
// Requires float32 constant weights and statistics, no fused activation, and a layer
// output that only the BatchNormalization reads. New constants are created (the old
// weight may be shared).
#include <cmath>

#include "ir/fusion_util.h"
#include "ir/layer_folding.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

// A copy of w with every slice multiplied by the scale of the output channel it feeds.
TensorData scaled_weight(const TensorData& w, const WeightLayout& layout, const std::vector<double>& scale) {
  TensorData out = w;
  const int64_t kernel = shape_elements(Shape(w.shape.begin() + 2, w.shape.end()));
  float* slice = out.as<float>();
  for (int64_t d0 = 0; d0 < w.shape[0]; ++d0)
    for (int64_t d1 = 0; d1 < w.shape[1]; ++d1, slice += kernel) {
      const double s = scale[static_cast<size_t>(layout.channel(d0, d1))];
      for (int64_t k = 0; k < kernel; ++k) slice[k] = static_cast<float>(slice[k] * s);
    }
  return out;
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
    const auto l = foldable_layer(g, uses, bn.inputs[0], static_cast<int>(i), dead);
    if (!l) continue;
    const int64_t m = l->layout.out_channels;
    const auto affine = bn_affine(g, bn, m);
    if (!affine) continue;
    const auto& [scale, shift] = *affine;

    std::vector<float> new_b(static_cast<size_t>(m));
    for (size_t o = 0; o < new_b.size(); ++o)
      new_b[o] = static_cast<float>((l->bias ? l->bias->as<float>()[o] : 0.0) * scale[o] + shift[o]);
    Node& layer = g.nodes[static_cast<size_t>(l->node)];
    const int w_id = add_layer_constant(g, layer, ".weight_bn", scaled_weight(*l->weight, l->layout, scale));
    const int b_id = add_layer_constant(g, layer, ".bias_bn", TensorData::from_floats({m}, new_b));
    layer.inputs.resize(3, -1);
    layer.inputs[1] = w_id;
    layer.inputs[2] = b_id;
    layer.outputs[0] = g.nodes[i].outputs[0];
    dead[i] = true;
    ++folded;
  }
  return erase_fused(g, dead, folded);
}

}  // namespace bespoke::ir
