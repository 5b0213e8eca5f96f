#include "blocks/block_analysis.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "blocks/dominators.h"
#include "blocks/naming.h"
#include "ir/cost.h"
#include "ir/graph_analysis.h"

namespace bespoke::blocks {

namespace {

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<int64_t>::max() : r;
}

std::string value_list(const ir::Graph& g, const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) {
    out += out.empty() ? "" : ", ";
    out += id >= 0 && static_cast<size_t>(id) < g.values.size() ? "'" + g.values[static_cast<size_t>(id)].name + "'"
                                                                : "#" + std::to_string(id);
  }
  return out;
}

void require_siso(const ir::Graph& g) {
  const std::string graph = "block analysis of graph '" + g.name + "'";
  if (g.inputs.size() != 1 || g.outputs.size() != 1)
    throw BlockError(graph + ": needs exactly one input and one output, got " + std::to_string(g.inputs.size()) +
                     " input(s) (" + value_list(g, g.inputs) + ") and " + std::to_string(g.outputs.size()) +
                     " output(s) (" + value_list(g, g.outputs) +
                     "); sub-networks are single-input single-output, so cut the model to one input and output first");
  for (int v : {g.inputs[0], g.outputs[0]})
    if (v < 0 || static_cast<size_t>(v) >= g.values.size())
      throw BlockError(graph + ": graph input/output id " + std::to_string(v) + " is out of range");
  if (g.inputs[0] == g.outputs[0]) throw BlockError(graph + ": the output is the input itself (no operators)");
  if (g.nodes.empty()) throw BlockError(graph + ": the graph has no operators");
}

// The value/node DAG: vertex v < V is value v, vertex V + n is node n.
// Constant values get no edges: weights are not data flow.
struct FlowGraph {
  size_t value_count = 0;
  std::vector<std::vector<int>> predecessors, successors;
  std::vector<int> order;  // topological
  std::vector<int> node_order;

  int node_vertex(int n) const { return static_cast<int>(value_count) + n; }
  bool is_value(int vertex) const { return static_cast<size_t>(vertex) < value_count; }
};

FlowGraph build_flow_graph(const ir::Graph& g) {
  FlowGraph f;
  f.value_count = g.values.size();
  const size_t vertices = g.values.size() + g.nodes.size();
  f.predecessors.resize(vertices);
  f.successors.resize(vertices);
  f.node_order = ir::topological_order(g);  // throws GraphError on a cycle
  const ir::UseMap uses(g);
  for (size_t v = 0; v < g.values.size(); ++v)
    if (uses.producer[v] < 0) f.order.push_back(static_cast<int>(v));
  for (int n : f.node_order) {
    const ir::Node& node = g.nodes[static_cast<size_t>(n)];
    const int nv = f.node_vertex(n);
    f.order.push_back(nv);
    for (int v : node.inputs) {
      if (v < 0 || static_cast<size_t>(v) >= g.values.size() || g.values[static_cast<size_t>(v)].is_constant())
        continue;
      f.predecessors[static_cast<size_t>(nv)].push_back(v);
      f.successors[static_cast<size_t>(v)].push_back(nv);
    }
    for (int v : node.outputs) {
      if (v < 0 || static_cast<size_t>(v) >= g.values.size())
        throw BlockError("block analysis of graph '" + g.name + "': node '" + node.name + "' has an output id " +
                         std::to_string(v) + " out of range");
      f.order.push_back(v);
      f.predecessors[static_cast<size_t>(v)].push_back(nv);
      f.successors[static_cast<size_t>(nv)].push_back(v);
    }
  }
  return f;
}

// Value vertices on the tree path from `from` up to the root of `tree`.
std::vector<int> values_on_tree_path(const FlowGraph& f, const std::vector<int>& tree, int from) {
  std::vector<int> path;
  for (int v = from;; v = tree[static_cast<size_t>(v)]) {
    if (f.is_value(v)) path.push_back(v);
    if (tree[static_cast<size_t>(v)] == v) break;
  }
  return path;
}

std::optional<ir::Shape> shape_if_known(const ir::Graph& g, int v) { return g.values[static_cast<size_t>(v)].shape; }

std::optional<double> spatial_stride(const std::optional<ir::Shape>& in, const std::optional<ir::Shape>& out) {
  if (!in || !out || in->size() != 4 || out->size() != 4 || (*out)[2] <= 0) return std::nullopt;
  return static_cast<double>((*in)[2]) / static_cast<double>((*out)[2]);
}

// Per node: its unit, from the nearest dominating / post-dominating cuts.
std::vector<int> assign_units(const ir::Graph& g, const FlowGraph& f, const std::vector<int>& idom,
                              const std::vector<int>& ipdom, const std::vector<int>& cut_of, size_t unit_count,
                              std::vector<bool>& detached) {
  const size_t vertices = f.predecessors.size();
  std::vector<int> cut_above(vertices, -1), cut_below(vertices, -1);
  for (int v : f.order) {
    const auto i = static_cast<size_t>(v);
    if (idom[i] < 0) continue;
    cut_above[i] = f.is_value(v) && cut_of[i] >= 0 ? cut_of[i] : cut_above[static_cast<size_t>(idom[i])];
  }
  for (auto it = f.order.rbegin(); it != f.order.rend(); ++it) {
    const auto i = static_cast<size_t>(*it);
    if (ipdom[i] < 0) continue;
    cut_below[i] = f.is_value(*it) && cut_of[i] >= 0 ? cut_of[i] : cut_below[static_cast<size_t>(ipdom[i])];
  }

  const int last_unit = static_cast<int>(unit_count) - 1;
  std::vector<int> unit(g.nodes.size(), -1);
  detached.assign(g.nodes.size(), false);
  for (int n : f.node_order) {
    const auto nv = static_cast<size_t>(f.node_vertex(n));
    if (idom[nv] < 0) {
      detached[static_cast<size_t>(n)] = true;
      continue;
    }
    if (ipdom[nv] >= 0 && cut_below[nv] != cut_above[nv] + 1)
      throw std::logic_error("block analysis: node '" + g.nodes[static_cast<size_t>(n)].name + "' lies after cut " +
                             std::to_string(cut_above[nv]) + " but before cut " + std::to_string(cut_below[nv]));
    unit[static_cast<size_t>(n)] = std::min(cut_above[nv], last_unit);  // a dead end reading the output: last unit
  }
  // Nodes fed by constants only join the first unit that reads them (reverse
  // topological order: their readers are settled first); unread ones unit 0.
  const ir::UseMap uses(g);
  for (auto it = f.node_order.rbegin(); it != f.node_order.rend(); ++it) {
    const auto n = static_cast<size_t>(*it);
    if (!detached[n]) continue;
    int first = std::numeric_limits<int>::max();
    for (int v : g.nodes[n].outputs)
      for (int reader : uses.readers[static_cast<size_t>(v)])
        if (unit[static_cast<size_t>(reader)] >= 0) first = std::min(first, unit[static_cast<size_t>(reader)]);
    unit[n] = first == std::numeric_limits<int>::max() ? 0 : first;
  }
  return unit;
}

}  // namespace

size_t BlockAnalysis::span_count() const { return units.size() * (units.size() + 1) / 2; }

int BlockAnalysis::cut_index(int value) const {
  const auto it = std::find(cuts.begin(), cuts.end(), value);
  return it == cuts.end() ? -1 : static_cast<int>(it - cuts.begin());
}

SubNetwork BlockAnalysis::span(int a, int b) const {
  if (a < 0 || b <= a || static_cast<size_t>(b) >= cuts.size())
    throw BlockError("span [" + std::to_string(a) + ", " + std::to_string(b) + "] is not a span of " +
                     std::to_string(cuts.size()) + " cuts (need 0 <= a < b <= " + std::to_string(cuts.size() - 1) +
                     ")");
  if (b == a + 1) return units[static_cast<size_t>(a)];
  const SubNetwork& first = units[static_cast<size_t>(a)];
  const SubNetwork& last = units[static_cast<size_t>(b - 1)];
  SubNetwork s;
  s.cut_begin = a;
  s.cut_end = b;
  s.input_value = first.input_value;
  s.output_value = last.output_value;
  s.input_shape = first.input_shape;
  s.output_shape = last.output_shape;
  s.stride = spatial_stride(s.input_shape, s.output_shape);
  for (int u = a; u < b; ++u) {
    const SubNetwork& unit = units[static_cast<size_t>(u)];
    s.nodes.insert(s.nodes.end(), unit.nodes.begin(), unit.nodes.end());
    s.params = saturating_add(s.params, unit.params);
    s.flops = saturating_add(s.flops, unit.flops);
    s.macs = saturating_add(s.macs, unit.macs);
  }
  s.name = first.name + ".." + last.name;
  return s;
}

BlockAnalysis analyze_blocks(const ir::Graph& g) {
  require_siso(g);
  const int input = g.inputs[0], output = g.outputs[0];
  const FlowGraph f = build_flow_graph(g);

  const std::vector<int> idom = immediate_dominators(f.predecessors, f.order, input);
  if (idom[static_cast<size_t>(output)] < 0)
    throw BlockError("block analysis of graph '" + g.name + "': output '" + g.values[static_cast<size_t>(output)].name +
                     "' does not depend on input '" + g.values[static_cast<size_t>(input)].name + "'");
  const std::vector<int> reversed(f.order.rbegin(), f.order.rend());
  const std::vector<int> ipdom = immediate_dominators(f.successors, reversed, output);

  BlockAnalysis a;
  a.cuts = values_on_tree_path(f, idom, output);
  std::reverse(a.cuts.begin(), a.cuts.end());
  if (values_on_tree_path(f, ipdom, input) != a.cuts)
    throw std::logic_error("block analysis of graph '" + g.name + "': dominator and post-dominator cuts disagree");

  std::vector<int> cut_of(f.predecessors.size(), -1);
  for (size_t i = 0; i < a.cuts.size(); ++i) cut_of[static_cast<size_t>(a.cuts[i])] = static_cast<int>(i);
  const size_t unit_count = a.cuts.size() - 1;
  a.node_unit = assign_units(g, f, idom, ipdom, cut_of, unit_count, a.detached);

  a.units.resize(unit_count);
  for (int n : f.node_order) a.units[static_cast<size_t>(a.node_unit[static_cast<size_t>(n)])].nodes.push_back(n);
  std::vector<std::vector<int>> unit_nodes;
  for (size_t u = 0; u < unit_count; ++u) {
    SubNetwork& unit = a.units[u];
    unit.cut_begin = static_cast<int>(u);
    unit.cut_end = static_cast<int>(u + 1);
    unit.input_value = a.cuts[u];
    unit.output_value = a.cuts[u + 1];
    unit.input_shape = shape_if_known(g, unit.input_value);
    unit.output_shape = shape_if_known(g, unit.output_value);
    unit.stride = spatial_stride(unit.input_shape, unit.output_shape);
    for (int n : unit.nodes) {
      const ir::NodeCost cost = ir::node_cost(g, n);
      unit.params = saturating_add(unit.params, cost.params);
      unit.flops = saturating_add(unit.flops, cost.flops);
      unit.macs = saturating_add(unit.macs, cost.macs);
    }
    unit_nodes.push_back(unit.nodes);
  }
  const std::vector<std::string> names = unit_names(g, unit_nodes);
  for (size_t u = 0; u < unit_count; ++u) a.units[u].name = names[u];
  return a;
}

}  // namespace bespoke::blocks
