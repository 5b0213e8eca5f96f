// Constant folding: nodes whose inputs are all constant (and Shape / Size of
// a known shape) become constant values. Nodes are visited in topological
// order and every node's shapes are inferred on the way, so one call folds
// whole Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains, including
// chains that wait on shapes computed from earlier folds (ShuffleNet's
// per-stage chunk arithmetic).
#include <memory>

#include "ir/constant_eval.h"
#include "ir/graph_analysis.h"
#include "ir/passes.h"
#include "ir/shape_inference.h"

namespace bespoke::ir {

namespace {

// Folded tensors are stored in the model: bound their size (64 MiB of floats).
constexpr int64_t kMaxFoldedElements = int64_t{16} * 1024 * 1024;

bool outputs_small_enough(const Graph& g, const Node& n) {
  for (int o : n.outputs) {
    if (o < 0) return false;
    const Value& v = g.values[static_cast<size_t>(o)];
    if (!v.shape || v.is_constant()) return false;
    int64_t count = 1;
    for (int64_t d : *v.shape) {
      if (d < 0 || (d > 0 && count > kMaxFoldedElements / d)) return false;
      count *= d;
    }
    if (count > kMaxFoldedElements) return false;
  }
  return true;
}

}  // namespace

int fold_constants(Graph& g) {
  std::vector<bool> folded(g.nodes.size(), false);
  int count = 0;
  for (int i : topological_order(g)) {
    const Node& n = g.nodes[static_cast<size_t>(i)];
    infer_node_shapes(g, i);
    if (!is_foldable_op(n.op)) continue;
    if (!outputs_small_enough(g, n)) continue;
    auto result = evaluate_constant_node(g, n);
    if (!result || result->size() != n.outputs.size()) continue;
    for (size_t k = 0; k < result->size(); ++k) {
      Value& v = g.values[static_cast<size_t>(n.outputs[k])];
      TensorData& t = (*result)[k];
      v.shape = t.shape;
      v.dtype = t.dtype;
      v.constant = std::make_shared<const TensorData>(std::move(t));
    }
    folded[static_cast<size_t>(i)] = true;
    ++count;
  }
  if (count > 0) {
    g.erase_nodes(folded);
    drop_stale_blocks(g);
  }
  return count;
}

}  // namespace bespoke::ir
