// HardSwish(x) = x * HardSigmoid(x; alpha 1/6, beta 0.5) = x * Relu6(x + 3) / 6.
// Recognized spellings (PP-OCR, mobilenet_v3 exports):
//   Mul(x, HardSigmoid(x))                          alpha = 1/6, beta = 0.5
//   Mul(x, Div(Relu6(Add(x, 3)), 6))   or  Mul(x, Mul(Relu6(Add(x, 3)), 1/6))
//   Div(Mul(x, Relu6(Add(x, 3))), 6)   or  Mul(Mul(x, Relu6(Add(x, 3))), 1/6)
// where Relu6 is Clip(min 0, max 6). Every intermediate must be private to the pattern.
#include "ir/fusion_util.h"
#include "ir/passes.h"

namespace bespoke::ir {

namespace {

class HardSwishMatcher {
 public:
  HardSwishMatcher(const Graph& g, const UseMap& uses, const std::vector<bool>& dead)
      : g_(g), uses_(uses), dead_(dead) {}

  // x when `value` (read only by `reader`) is Relu6(x + 3); records the nodes.
  int relu6_of_x_plus_3(int value, int reader, std::vector<int>& chain) const {
    const int clip = private_producer(value, reader, "Clip");
    if (clip < 0) return -1;
    const auto bounds = clip_bounds(g_, node(clip));
    if (!bounds || bounds->first != 0.0 || bounds->second != 6.0) return -1;
    const int add = private_producer(node(clip).inputs[0], clip, "Add");
    if (add < 0 || node(add).inputs.size() != 2) return -1;
    for (int side = 0; side < 2; ++side) {
      const auto three = scalar_constant(g_, node(add).inputs[static_cast<size_t>(1 - side)]);
      if (three && *three == 3.0) {
        chain.insert(chain.end(), {clip, add});
        return node(add).inputs[static_cast<size_t>(side)];
      }
    }
    return -1;
  }

  // x when `value` (read only by `reader`) is HardSigmoid(x) with HardSwish's
  // parameters, spelled as the op or as Relu6(x + 3) / 6.
  int hard_sigmoid(int value, int reader, std::vector<int>& chain) const {
    const int hs = private_producer(value, reader, "HardSigmoid");
    if (hs >= 0) {
      const Node& n = node(hs);
      if (!nearly(n.get_float("alpha", 0.2), 1.0 / 6.0) || !nearly(n.get_float("beta", 0.5), 0.5)) return -1;
      chain.push_back(hs);
      return n.inputs[0];
    }
    int scaled = -1;
    const int r = divided_by_six(value, reader, scaled);
    if (r < 0) return -1;
    const int x = relu6_of_x_plus_3(r, scaled, chain);
    if (x >= 0) chain.push_back(scaled);
    return x;
  }

  // The dividend r when `value` (read only by `reader`) is Div(r, 6) or Mul(r, 1/6); `node_out` = that node.
  int divided_by_six(int value, int reader, int& node_out) const {
    for (const char* op : {"Div", "Mul"}) {
      const int d = private_producer(value, reader, op);
      if (d < 0 || node(d).inputs.size() != 2) continue;
      const std::string kind = op;
      for (int side = 0; side < (kind == "Mul" ? 2 : 1); ++side) {
        const auto k = scalar_constant(g_, node(d).inputs[static_cast<size_t>(1 - side)]);
        if (k && nearly(*k, kind == "Div" ? 6.0 : 1.0 / 6.0)) {
          node_out = d;
          return node(d).inputs[static_cast<size_t>(side)];
        }
      }
    }
    return -1;
  }

  // Does `n` (at index `i`) compute HardSwish? Returns x and the nodes to drop.
  int match(int i, std::vector<int>& chain) const {
    const Node& n = node(i);
    if (n.inputs.size() != 2 || n.outputs.size() != 1 || n.has("activation")) return -1;
    if (n.op == "Mul") {  // x * hard_sigmoid(x)
      for (int side = 0; side < 2; ++side) {
        std::vector<int> found;
        const int x = n.inputs[static_cast<size_t>(side)];
        if (x >= 0 && hard_sigmoid(n.inputs[static_cast<size_t>(1 - side)], i, found) == x) {
          chain = found;
          return x;
        }
      }
    }
    // (x * Relu6(x + 3)) / 6 with the product read only by the scaling node.
    if (n.op != "Mul" && n.op != "Div") return -1;
    for (int side = 0; side < (n.op == "Mul" ? 2 : 1); ++side) {
      const auto k = scalar_constant(g_, n.inputs[static_cast<size_t>(1 - side)]);
      if (!k || !nearly(*k, n.op == "Div" ? 6.0 : 1.0 / 6.0)) continue;
      const int prod = private_producer(n.inputs[static_cast<size_t>(side)], i, "Mul");
      if (prod < 0 || node(prod).inputs.size() != 2) continue;
      for (int s = 0; s < 2; ++s) {
        std::vector<int> found;
        const int x = node(prod).inputs[static_cast<size_t>(s)];
        if (x >= 0 && relu6_of_x_plus_3(node(prod).inputs[static_cast<size_t>(1 - s)], prod, found) == x) {
          chain = found;
          chain.push_back(prod);
          return x;
        }
      }
    }
    return -1;
  }

 private:
  const Node& node(int i) const { return g_.nodes[static_cast<size_t>(i)]; }

  int private_producer(int value, int reader, const std::string& op) const {
    const int p = producer_with_op(g_, uses_, value, op, dead_);
    if (p < 0 || node(p).inputs.empty() || node(p).outputs.size() != 1 || !uses_.private_to(value, reader)) return -1;
    return p;
  }

  const Graph& g_;
  const UseMap& uses_;
  const std::vector<bool>& dead_;
};

}  // namespace

int fuse_hard_swish(Graph& g) {
  const UseMap uses(g);
  std::vector<bool> dead(g.nodes.size(), false);
  const HardSwishMatcher matcher(g, uses, dead);
  int fused = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (dead[i]) continue;
    std::vector<int> chain;
    const int x = matcher.match(static_cast<int>(i), chain);
    if (x < 0) continue;
    Node& n = g.nodes[i];
    n.op = "HardSwish";
    n.inputs = {x};
    n.attrs.clear();
    for (int c : chain) dead[static_cast<size_t>(c)] = true;
    ++fused;
  }
  return erase_fused(g, dead, fused);
}

}  // namespace bespoke::ir
