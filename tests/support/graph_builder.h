// Terse construction of small IR graphs for the pass tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::test {

using Attrs = std::map<std::string, ir::Attribute>;

inline ir::Attribute int_attr(int64_t v) { return v; }
inline ir::Attribute float_attr(double v) { return v; }
inline ir::Attribute str_attr(const char* v) { return std::string(v); }
inline ir::Attribute ints_attr(std::vector<int64_t> v) { return v; }
inline ir::Attribute floats_attr(std::vector<double> v) { return v; }

class GraphBuilder {
 public:
  ir::Graph g;

  int input(const std::string& name, ir::Shape shape, ir::DType dtype = ir::DType::kF32) {
    ir::Value v;
    v.name = name;
    v.shape = std::move(shape);
    v.dtype = dtype;
    const int id = g.add_value(std::move(v));
    g.inputs.push_back(id);
    return id;
  }
  int floats(const std::string& name, ir::Shape shape, const std::vector<float>& values) {
    return g.add_constant(name, ir::TensorData::from_floats(std::move(shape), values));
  }
  int ints(const std::string& name, const std::vector<int64_t>& values) {
    return g.add_constant(name, ir::TensorData::from_ints({static_cast<int64_t>(values.size())}, values));
  }
  int scalar(const std::string& name, float value) { return floats(name, {}, {value}); }

  // Adds a node named `name` (default: op + index) with `outputs` fresh output values.
  std::vector<int> node(const std::string& op, const std::vector<int>& inputs, size_t outputs = 1, Attrs attrs = {},
                        std::string name = "") {
    ir::Node n;
    n.name = name.empty() ? op + "_" + std::to_string(g.nodes.size()) : name;
    n.op = op;
    n.inputs = inputs;
    n.attrs = std::move(attrs);
    for (size_t k = 0; k < outputs; ++k) {
      ir::Value v;
      v.name = g.unique_name(n.name + (k ? "_out" + std::to_string(k) : "_out"));
      n.outputs.push_back(g.add_value(std::move(v)));
    }
    std::vector<int> outs = n.outputs;
    g.add_node(std::move(n));
    return outs;
  }
  int op(const std::string& op, const std::vector<int>& inputs, Attrs attrs = {}, std::string name = "") {
    return node(op, inputs, 1, std::move(attrs), std::move(name))[0];
  }
  void output(int v) { g.outputs.push_back(v); }
};

inline std::vector<std::string> op_sequence(const ir::Graph& g) {
  std::vector<std::string> ops;
  for (const auto& n : g.nodes) ops.push_back(n.op);
  return ops;
}

inline const ir::Value& value_named(const ir::Graph& g, const std::string& name) {
  const int id = g.find_value(name);
  if (id < 0) throw ir::GraphError("test: no value named '" + name + "'");
  return g.values[static_cast<size_t>(id)];
}

inline std::vector<float> constant_floats(const ir::Value& v) {
  const ir::TensorData& t = *v.constant;
  return std::vector<float>(t.as<float>(), t.as<float>() + t.elements());
}

inline std::vector<int64_t> constant_ints(const ir::Value& v) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < v.constant->elements(); ++i) out.push_back(v.constant->int_at(i));
  return out;
}

// Deterministic pseudo-random floats in [-1, 1) (a small LCG: tests need no distribution quality).
inline std::vector<float> random_floats(size_t count, uint32_t seed) {
  std::vector<float> out(count);
  uint32_t state = seed * 2654435761u + 1u;
  for (auto& x : out) {
    state = state * 1664525u + 1013904223u;
    x = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  return out;
}

}  // namespace bespoke::test
