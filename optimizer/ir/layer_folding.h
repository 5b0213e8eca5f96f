// Shared by the passes that fold the op reading a Conv / ConvTranspose output into
// the layer's weights and bias (fold_batch_norm, fold_bias_add): which layers
// qualify, how their weights map to output channels, and naming the new constants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/graph_analysis.h"

namespace bespoke::ir {

// Float32 constant input i of n with `count` elements (count < 0: any), or nullptr.
const TensorData* float_constant(const Graph& g, const Node& n, size_t i, int64_t count);

// Which output channel each kernel-sized weight slice w[d0][d1] feeds. Conv
// weights are [M, C/group, k...] (slice w[o] feeds channel o); ConvTranspose
// weights are [C, M/group, k...] (slice w[c][j] feeds channel (c / (C/group)) * (M/group) + j).
struct WeightLayout {
  bool transposed = false;
  int64_t in_per_group = 1;   // ConvTranspose: C / group
  int64_t out_per_group = 1;  // ConvTranspose: M / group
  int64_t out_channels = 0;   // M

  int64_t channel(int64_t d0, int64_t d1) const { return transposed ? d0 / in_per_group * out_per_group + d1 : d0; }
};

// A Conv / ConvTranspose that the node reading its output can be folded into.
struct FoldableLayer {
  int node = -1;
  const TensorData* weight = nullptr;  // float32 constant, at least [d0, d1, k]
  WeightLayout layout;
  const TensorData* bias = nullptr;  // float32 constant of M elements; nullptr: no bias
};

// The live (not `dead`) Conv or ConvTranspose producing `value`, if node `reader`
// can absorb into it: `value` is private to `reader` (UseMap::private_to), the
// layer has one output and no fused activation (it would apply before `reader`),
// and its weight and bias are as FoldableLayer describes. Else nullopt.
std::optional<FoldableLayer> foldable_layer(const Graph& g, const UseMap& uses, int value, int reader,
                                            const std::vector<bool>& dead);

// Adds `data` as a constant named after `layer` (or its output when unnamed) +
// `suffix`. Folds write new constants: the layer's old ones may be shared.
int add_layer_constant(Graph& g, const Node& layer, const std::string& suffix, TensorData data);

}  // namespace bespoke::ir
