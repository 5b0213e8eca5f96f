#include "ir/graph_analysis.h"

#include <algorithm>
#include <functional>
#include <queue>

#include "ir/op_params.h"

namespace bespoke::ir {

namespace {

void check_value_id(const Graph& g, const Node& n, int v) {
  if (v < -1 || v >= static_cast<int>(g.values.size()))
    throw GraphError(describe(g, n) + " refers to value id " + std::to_string(v) + ", but the graph has " +
                     std::to_string(g.values.size()) + " values");
}

// Producer of every value; throws when two nodes produce the same value.
std::vector<int> producers(const Graph& g) {
  std::vector<int> producer(g.values.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    for (int v : n.inputs) check_value_id(g, n, v);
    for (int v : n.outputs) {
      check_value_id(g, n, v);
      if (v < 0) continue;
      int& p = producer[static_cast<size_t>(v)];
      if (p >= 0 && p != static_cast<int>(i))
        throw GraphError("value '" + g.values[static_cast<size_t>(v)].name + "' is produced by both " +
                         describe(g, g.nodes[static_cast<size_t>(p)]) + " and " + describe(g, n));
      p = static_cast<int>(i);
    }
  }
  return producer;
}

}  // namespace

UseMap::UseMap(const Graph& g)
    : producer(producers(g)),
      readers(g.values.size()),
      graph_output(g.values.size(), false),
      block_boundary(g.values.size(), false) {
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int v : g.nodes[i].inputs) {
      if (v < 0) continue;
      auto& r = readers[static_cast<size_t>(v)];
      if (r.empty() || r.back() != static_cast<int>(i)) r.push_back(static_cast<int>(i));
    }
  for (int v : g.outputs)
    if (v >= 0 && v < static_cast<int>(g.values.size())) graph_output[static_cast<size_t>(v)] = true;
  for (const Block& b : g.blocks)
    for (int v : {b.input_value, b.output_value})
      if (v >= 0 && v < static_cast<int>(g.values.size())) block_boundary[static_cast<size_t>(v)] = true;
}

bool UseMap::private_to(int value, int node) const {
  const auto v = static_cast<size_t>(value);
  return readers[v].size() == 1 && readers[v][0] == node && !graph_output[v] && !block_boundary[v];
}

std::vector<int> topological_order(const Graph& g) {
  const std::vector<int> producer = producers(g);
  const size_t count = g.nodes.size();
  std::vector<std::vector<int>> successors(count);
  std::vector<int> pending(count, 0);  // unresolved input edges per node
  for (size_t i = 0; i < count; ++i)
    for (int v : g.nodes[i].inputs) {
      if (v < 0 || producer[static_cast<size_t>(v)] < 0) continue;
      successors[static_cast<size_t>(producer[static_cast<size_t>(v)])].push_back(static_cast<int>(i));
      ++pending[i];
    }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < count; ++i)
    if (pending[i] == 0) ready.push(static_cast<int>(i));
  std::vector<int> order;
  order.reserve(count);
  while (!ready.empty()) {
    const int n = ready.top();
    ready.pop();
    order.push_back(n);
    for (int s : successors[static_cast<size_t>(n)])
      if (--pending[static_cast<size_t>(s)] == 0) ready.push(s);
  }
  if (order.size() == count) return order;

  // Every node left over waits on another left-over node: walking back along
  // unresolved inputs must revisit a node, and the walk from there is a cycle.
  int start = 0;
  while (pending[static_cast<size_t>(start)] == 0) ++start;
  std::vector<int> seen_at(count, -1), walk;
  int n = start;
  while (seen_at[static_cast<size_t>(n)] < 0) {
    seen_at[static_cast<size_t>(n)] = static_cast<int>(walk.size());
    walk.push_back(n);
    int next = -1;
    for (int v : g.nodes[static_cast<size_t>(n)].inputs) {
      const int p = v < 0 ? -1 : producer[static_cast<size_t>(v)];
      if (p >= 0 && pending[static_cast<size_t>(p)] > 0) {
        next = p;
        break;
      }
    }
    n = next;
  }
  std::string message = "graph has a cycle: ";
  std::vector<int> cycle(walk.begin() + seen_at[static_cast<size_t>(n)], walk.end());
  std::reverse(cycle.begin(), cycle.end());  // the walk went against the data flow
  for (int c : cycle) message += describe(g, g.nodes[static_cast<size_t>(c)]) + " -> ";
  message += describe(g, g.nodes[static_cast<size_t>(cycle.front())]);
  throw GraphError(message);
}

void drop_stale_blocks(Graph& g) {
  std::vector<Block> kept;
  for (Block& b : g.blocks) {
    const bool in_range = b.first_node >= 0 && b.node_count > 0 &&
                          static_cast<size_t>(b.first_node) + static_cast<size_t>(b.node_count) <= g.nodes.size();
    bool produced = false;
    for (int i = b.first_node; in_range && !produced && i < b.first_node + b.node_count; ++i) {
      const auto& outs = g.nodes[static_cast<size_t>(i)].outputs;
      produced = std::find(outs.begin(), outs.end(), b.output_value) != outs.end();
    }
    if (produced) kept.push_back(std::move(b));
  }
  g.blocks = std::move(kept);
}

}  // namespace bespoke::ir
