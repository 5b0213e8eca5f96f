// x * Sigmoid(x) -> SiLU(x) (the Swish of EfficientNet / YOLO exports).
#include "ir/fusion_util.h"
#include "ir/passes.h"

namespace bespoke::ir {

int fuse_silu(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  int fused = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& mul = g.nodes[i];
    if (mul.op != "Mul" || mul.inputs.size() != 2 || mul.outputs.size() != 1 || mul.has("activation")) continue;
    for (int side = 0; side < 2; ++side) {
      const int gate = mul.inputs[static_cast<size_t>(side)], x = mul.inputs[static_cast<size_t>(1 - side)];
      const int s = producer_with_op(g, uses, gate, "Sigmoid", dead);
      if (s < 0 || g.nodes[static_cast<size_t>(s)].inputs.empty() || g.nodes[static_cast<size_t>(s)].inputs[0] != x ||
          !uses.private_to(gate, static_cast<int>(i)))
        continue;
      mul.op = "SiLU";
      mul.inputs = {x};
      mul.attrs.clear();
      dead[static_cast<size_t>(s)] = true;
      ++fused;
      break;
    }
  }
  return erase_fused(g, dead, fused);
}

}  // namespace bespoke::ir
