// Conv / ConvTranspose -> BatchNormalization (inference) folded into the layer:
//   s = scale / sqrt(var + epsilon);  W' = W * s[o] on every weight slice feeding output channel o;
//   B' = (B - mean) * s + beta
// Conv weights are [M, C/group, k...] (slice w[o] feeds channel o); ConvTranspose
// weights are [C, M/group, k...] (slice w[c][j] feeds channel (c / (C/group)) * (M/group) + j).
// Only the weight and bias inputs change: strides, pads, output_padding, ... are kept.
// Requires float32 constant weights and statistics, no fused activation, and a layer
// output that only the BatchNormalization reads. New constants are created (the old
// weight may be shared).
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

// Which output channel each kernel-sized weight slice w[d0][d1] feeds.
struct WeightLayout {
  bool transposed = false;
  int64_t in_per_group = 1;   // ConvTranspose: C / group
  int64_t out_per_group = 1;  // ConvTranspose: M / group
  int64_t out_channels = 0;   // M

  int64_t channel(int64_t d0, int64_t d1) const { return transposed ? d0 / in_per_group * out_per_group + d1 : d0; }
};

// Layout of a Conv / ConvTranspose weight (at least [d0, d1, k]), or nullopt if unusable.
std::optional<WeightLayout> weight_layout(const Node& layer, const Shape& w) {
  if (w.size() < 3 || w[0] < 1 || w[1] < 1) return std::nullopt;
  WeightLayout l;
  if (layer.op == "Conv") {
    l.out_channels = w[0];
    return l;
  }
  const int64_t group = layer.get_int("group", 1);
  if (group < 1 || w[0] % group != 0) return std::nullopt;
  l.transposed = true;
  l.in_per_group = w[0] / group;
  l.out_per_group = w[1];
  l.out_channels = w[1] * group;
  return l;
}

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

// The live Conv or ConvTranspose producing `value`, or -1.
int layer_producer(const Graph& g, const UseMap& uses, int value, const std::vector<bool>& dead) {
  const int c = producer_with_op(g, uses, value, "Conv", dead);
  return c >= 0 ? c : producer_with_op(g, uses, value, "ConvTranspose", dead);
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
    const int c = layer_producer(g, uses, x, dead);
    if (c < 0 || !uses.private_to(x, static_cast<int>(i))) continue;
    Node& layer = g.nodes[static_cast<size_t>(c)];
    if (layer.has("activation") || layer.outputs.size() != 1) continue;
    const TensorData* w = float_constant(g, layer, 1, -1);
    const auto layout = w ? weight_layout(layer, w->shape) : std::nullopt;
    if (!layout) continue;
    const int64_t m = layout->out_channels;
    const TensorData* b = has_input(layer, 2) ? float_constant(g, layer, 2, m) : nullptr;
    if (has_input(layer, 2) && !b) continue;
    const auto affine = bn_affine(g, bn, m);
    if (!affine) continue;
    const auto& [scale, shift] = *affine;

    std::vector<float> new_b(static_cast<size_t>(m));
    for (size_t o = 0; o < new_b.size(); ++o)
      new_b[o] = static_cast<float>((b ? b->as<float>()[o] : 0.0) * scale[o] + shift[o]);
    const std::string base = layer.name.empty() ? g.values[static_cast<size_t>(x)].name : layer.name;
    const int w_id = g.add_constant(g.unique_name(base + ".weight_bn"), scaled_weight(*w, *layout, scale));
    const int b_id = g.add_constant(g.unique_name(base + ".bias_bn"), TensorData::from_floats({m}, new_b));
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
