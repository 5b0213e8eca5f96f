// Conv / ConvTranspose -> Add(per-output-channel constant c) folded into the layer's bias:
//   B' = B + c   (B = 0 when the layer has none)
// Paddle2ONNX exports deconvolution biases this way (ConvTranspose -> Add [1,M,1,1] ->
// BatchNormalization -> Relu); the Add also hides the BatchNormalization from
// fold_batch_norm, which only looks at a layer's direct output, so the pipeline runs
// this pass first.
// The addend must be a float32 constant of exactly M elements that, aligned from the
// right against the layer's [N, M, spatial...] output, puts them all on the channel axis
// ([1,M,1,1] or [M,1,1] for a 2-D layer): anything else adds a different value per
// position, or broadcasting would grow the output. Either operand order (Add is
// commutative). Requires a layer output that only the Add reads and no fused activation
// on the layer (it applies before the Add) or on the Add (the pipeline folds before
// fuse_activation could put one there). A new bias constant is created (the old one may
// be shared).
#include "ir/fusion_util.h"
#include "ir/layer_folding.h"
#include "ir/op_params.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

// True when an addend of shape `c` lands one value per channel on a layer output of
// rank `rank` with m channels: aligned from the right, axis 1 of the output must fall
// inside c, hold m, and every other dim of c must be 1.
bool per_channel(const Shape& c, size_t rank, int64_t m) {
  if (c.size() > rank || c.size() + 1 < rank) return false;
  const size_t channel_axis = c.size() + 1 - rank;
  for (size_t d = 0; d < c.size(); ++d)
    if (c[d] != (d == channel_axis ? m : 1)) return false;
  return true;
}

// The Add's output has the layer output's dtype and (where both are known) shape.
bool same_type(const Value& add_out, const Value& layer_out) {
  return add_out.dtype == layer_out.dtype && (!add_out.shape || !layer_out.shape || *add_out.shape == *layer_out.shape);
}

}  // namespace

int fold_bias_add(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  int folded = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& add = g.nodes[i];
    if (add.op != "Add" || add.inputs.size() != 2 || add.outputs.size() != 1 || add.outputs[0] < 0) continue;
    if (add.has("activation")) continue;
    const bool first_constant = constant_input(g, add, 0) != nullptr;
    if (first_constant == (constant_input(g, add, 1) != nullptr)) continue;  // need exactly one constant
    const size_t addend_index = first_constant ? 0 : 1;
    const int x = add.inputs[1 - addend_index];
    const auto l = foldable_layer(g, uses, x, static_cast<int>(i), dead);
    if (!l) continue;
    const int64_t m = l->layout.out_channels;
    const TensorData* addend = float_constant(g, add, addend_index, m);
    // The layer output [N, M, spatial...] has the weight's rank.
    if (!addend || !per_channel(addend->shape, l->weight->shape.size(), m)) continue;
    if (!same_type(g.values[static_cast<size_t>(add.outputs[0])], g.values[static_cast<size_t>(x)])) continue;

    std::vector<float> new_b(static_cast<size_t>(m));
    for (size_t o = 0; o < new_b.size(); ++o)
      new_b[o] = (l->bias ? l->bias->as<float>()[o] : 0.0f) + addend->as<float>()[o];
    Node& layer = g.nodes[static_cast<size_t>(l->node)];
    const int b_id = add_layer_constant(g, layer, ".bias_add", TensorData::from_floats({m}, new_b));
    layer.inputs.resize(3, -1);
    layer.inputs[2] = b_id;
    layer.outputs[0] = add.outputs[0];
    dead[i] = true;
    ++folded;
  }
  return erase_fused(g, dead, folded);
}

}  // namespace bespoke::ir
