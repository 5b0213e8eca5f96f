// Removes Identity and inference-mode Dropout. Graph output names are part of
// the model's interface, so when the removed node produces a graph output the
// upstream producer is rewired to write that output value instead.
#include <algorithm>

#include "ir/graph_analysis.h"
#include "ir/op_params.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

bool contains(const std::vector<int>& ids, int v) { return std::find(ids.begin(), ids.end(), v) != ids.end(); }

// Dropout is a no-op at inference unless its mask is used or training_mode is (or may be) on.
bool removable_dropout(const Graph& g, const Node& n) {
  if (n.outputs.size() > 1 && n.outputs[1] >= 0 &&
      (!g.consumers(n.outputs[1]).empty() || contains(g.outputs, n.outputs[1])))
    return false;
  if (has_input(n, 2)) {
    const TensorData* training = constant_input(g, n, 2);
    if (!training || training->elements() != 1 || training->int_at(0) != 0) return false;
  }
  return true;
}

}  // namespace

int remove_identity(Graph& g) {
  std::vector<bool> dead(g.nodes.size(), false);
  int removed = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& n = g.nodes[i];
    if (n.op != "Identity" && n.op != "Dropout") continue;
    if (!has_input(n, 0) || n.outputs.empty() || n.outputs[0] < 0) continue;
    if (n.op == "Dropout" && !removable_dropout(g, n)) continue;
    const int x = n.inputs[0], y = n.outputs[0];
    if (!contains(g.outputs, y)) {
      g.replace_uses(y, x);
    } else if (g.values[static_cast<size_t>(x)].is_constant()) {
      Value& out = g.values[static_cast<size_t>(y)];
      out.constant = g.values[static_cast<size_t>(x)].constant;
      out.shape = out.constant->shape;
      out.dtype = out.constant->dtype;
    } else {
      const int p = g.producer(x);
      // x is itself part of the interface (graph input or another output): keep the node.
      if (p < 0 || contains(g.inputs, x) || contains(g.outputs, x)) continue;
      g.replace_uses(x, y);
      for (int& o : g.nodes[static_cast<size_t>(p)].outputs)
        if (o == x) o = y;
    }
    dead[i] = true;
    ++removed;
  }
  if (removed > 0) {
    g.erase_nodes(dead);
    drop_stale_blocks(g);
  }
  return removed;
}

}  // namespace bespoke::ir
