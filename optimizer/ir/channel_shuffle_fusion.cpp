// The ShuffleNet idiom Reshape [N,C,H,W] -> [N,g,C/g,H,W], Transpose
// perm [0,2,1,3,4], Reshape back to [N,C,H,W] -> ChannelShuffle{group = g}.
// Works on value shapes, so the Reshapes may be ONNX (shape input) or canonical.
#include "ir/fusion_util.h"
#include "ir/passes.h"

namespace bespoke::ir {

int fuse_channel_shuffle(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  int fused = 0;
  auto shape = [&](int v) -> const std::optional<Shape>& { return g.values[static_cast<size_t>(v)].shape; };
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node& back = g.nodes[i];
    if (back.op != "Reshape" || back.inputs.empty() || back.outputs.size() != 1) continue;
    const int transposed = back.inputs[0];
    const int t = producer_with_op(g, uses, transposed, "Transpose", dead);
    if (t < 0 || !uses.private_to(transposed, static_cast<int>(i))) continue;
    const Node& transpose = g.nodes[static_cast<size_t>(t)];
    if (transpose.get_ints("perm") != std::vector<int64_t>{0, 2, 1, 3, 4} || transpose.inputs.empty()) continue;
    const int grouped = transpose.inputs[0];
    const int r = producer_with_op(g, uses, grouped, "Reshape", dead);
    if (r < 0 || !uses.private_to(grouped, t)) continue;
    const int x = g.nodes[static_cast<size_t>(r)].inputs.empty() ? -1 : g.nodes[static_cast<size_t>(r)].inputs[0];
    if (x < 0 || !shape(x) || !shape(grouped) || !shape(back.outputs[0])) continue;
    const Shape &in = *shape(x), &mid = *shape(grouped);
    if (in.size() != 4 || *shape(back.outputs[0]) != in || mid.size() != 5) continue;
    const int64_t group = mid[1];
    if (group < 1 || mid != Shape{in[0], group, in[1] / group, in[2], in[3]} || in[1] % group != 0) continue;
    back.op = "ChannelShuffle";
    back.inputs = {x};
    back.attrs = {{"group", group}};
    dead[static_cast<size_t>(t)] = dead[static_cast<size_t>(r)] = true;
    ++fused;
  }
  return erase_fused(g, dead, fused);
}

}  // namespace bespoke::ir
