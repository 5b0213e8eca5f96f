// Conv / ConvTranspose / FullyConnected / Add / Sub / Mul / Div followed by
// Relu or Clip -> the producer carries activation = "Relu" | "Clip" (with
// act_min / act_max for Clip) and writes the activation's output value.
// Clip bounds may be attributes (canonical) or constant inputs (ONNX >= 11).
#include <set>

#include "ir/fusion_util.h"
#include "ir/passes.h"

namespace bespoke::ir {

int fuse_activation(Graph& g) {
  static const std::set<std::string> kFusable = {"Conv", "ConvTranspose", "FullyConnected", "Add", "Sub", "Mul", "Div"};
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  int fused = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& act = g.nodes[i];
    if ((act.op != "Relu" && act.op != "Clip") || act.inputs.empty() || act.outputs.size() != 1) continue;
    const int v = act.inputs[0];
    const int p = v < 0 ? -1 : uses.producer[static_cast<size_t>(v)];
    if (p < 0 || dead[static_cast<size_t>(p)]) continue;
    Node& producer = g.nodes[static_cast<size_t>(p)];
    if (!kFusable.count(producer.op) || producer.outputs.size() != 1 || producer.has("activation") ||
        !uses.private_to(v, static_cast<int>(i)))
      continue;
    if (act.op == "Clip") {
      const auto bounds = clip_bounds(g, act);
      if (!bounds || bounds->first > bounds->second) continue;
      producer.attrs["activation"] = std::string("Clip");
      producer.attrs["act_min"] = bounds->first;
      producer.attrs["act_max"] = bounds->second;
    } else {
      producer.attrs["activation"] = std::string("Relu");
    }
    producer.outputs[0] = act.outputs[0];
    dead[i] = true;
    ++fused;
  }
  return erase_fused(g, dead, fused);
}

}  // namespace bespoke::ir
