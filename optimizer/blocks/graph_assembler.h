// Internal to surgery: builds a graph from pieces of other graphs. Values and
// nodes are copied on first use with their names; a name already taken (or
// reserved for a piece copied later) gets the piece's prefix, then a numeric
// suffix, so the result's names stay unique and traceable.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "ir/graph.h"

namespace bespoke::blocks {

class GraphAssembler {
 public:
  ir::Graph graph;

  // Names that later copies from other pieces must avoid (the host's).
  void reserve_value_name(const std::string& name) { reserved_values_.insert(name); }
  void reserve_node_name(const std::string& name) { reserved_nodes_.insert(name); }

  // `preferred` if free (and, unless `owner` of a reservation, not reserved),
  // else prefix + preferred, else that with "_1", "_2", ...
  std::string claim_value_name(const std::string& preferred, const std::string& prefix, bool owner);
  std::string claim_node_name(const std::string& preferred, const std::string& prefix, bool owner);

  // Adds a non-constant float value with a known shape under a claimed name.
  int add_value(const std::string& preferred, const std::string& prefix, const ir::Shape& shape);
  int add_constant(const std::string& preferred, const std::string& prefix, ir::TensorData data);

 private:
  static std::string claim(std::unordered_set<std::string>& used, const std::unordered_set<std::string>& reserved,
                           const std::string& preferred, const std::string& prefix, bool owner);

  std::unordered_set<std::string> used_values_, used_nodes_, reserved_values_, reserved_nodes_;
};

// Copies the values and nodes of one source graph into an assembler, each
// value once (constants share their ir::ConstantPtr).
class PieceCopier {
 public:
  // `owner`: the piece whose names were reserved (keeps them).
  PieceCopier(const ir::Graph& source, GraphAssembler& out, std::string prefix, bool owner);

  // Result id of source value v (copied on first use); -1 stays -1.
  int value(int v);
  // Makes source value v stand for an existing result value.
  void bind(int v, int result_value);
  bool is_bound(int v) const { return map_[static_cast<size_t>(v)] >= 0; }
  // Appends a copy of source node n (inputs and outputs mapped); returns its index.
  int copy_node(int n);

 private:
  const ir::Graph& source_;
  GraphAssembler& out_;
  std::string prefix_;
  bool owner_;
  std::vector<int> map_;
};

}  // namespace bespoke::blocks
