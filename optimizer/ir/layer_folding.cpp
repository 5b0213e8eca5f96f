#include "ir/layer_folding.h"

#include "ir/fusion_util.h"
#include "ir/op_params.h"

namespace bespoke::ir {

namespace {

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

}  // namespace

const TensorData* float_constant(const Graph& g, const Node& n, size_t i, int64_t count) {
  const TensorData* t = constant_input(g, n, i);
  if (!t || t->dtype != DType::kF32 || t->bytes.size() != static_cast<size_t>(t->elements()) * sizeof(float))
    return nullptr;
  return count < 0 || t->elements() == count ? t : nullptr;
}

std::optional<FoldableLayer> foldable_layer(const Graph& g, const UseMap& uses, int value, int reader,
                                            const std::vector<bool>& dead) {
  FoldableLayer l;
  l.node = producer_with_op(g, uses, value, "Conv", dead);
  if (l.node < 0) l.node = producer_with_op(g, uses, value, "ConvTranspose", dead);
  if (l.node < 0 || !uses.private_to(value, reader)) return std::nullopt;
  const Node& layer = g.nodes[static_cast<size_t>(l.node)];
  if (layer.has("activation") || layer.outputs.size() != 1) return std::nullopt;
  l.weight = float_constant(g, layer, 1, -1);
  const auto layout = l.weight ? weight_layout(layer, l.weight->shape) : std::nullopt;
  if (!layout) return std::nullopt;
  l.layout = *layout;
  if (!has_input(layer, 2)) return l;
  l.bias = float_constant(g, layer, 2, l.layout.out_channels);
  return l.bias ? std::optional<FoldableLayer>(l) : std::nullopt;
}

int add_layer_constant(Graph& g, const Node& layer, const std::string& suffix, TensorData data) {
  const std::string base = layer.name.empty() ? g.values[static_cast<size_t>(layer.outputs[0])].name : layer.name;
  return g.add_constant(g.unique_name(base + suffix), std::move(data));
}

}  // namespace bespoke::ir
