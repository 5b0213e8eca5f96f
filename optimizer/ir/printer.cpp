#include "ir/printer.h"

#include <cstdio>
#include <sstream>

namespace bespoke::ir {

namespace {

// Longer attribute lists are cut after this many items ("[1,2,...] (300 values)").
constexpr size_t kShownListItems = 16;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string number(int64_t v) { return std::to_string(v); }

template <typename T>
std::string list(const std::vector<T>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size() && i < kShownListItems; ++i) out += (i ? "," : "") + number(items[i]);
  if (items.size() > kShownListItems) return out + ",...] (" + std::to_string(items.size()) + " values)";
  return out + "]";
}

std::string attribute(const Attribute& a) {
  if (const auto* i = std::get_if<int64_t>(&a)) return number(*i);
  if (const auto* d = std::get_if<double>(&a)) return number(*d);
  if (const auto* s = std::get_if<std::string>(&a)) return "\"" + *s + "\"";
  if (const auto* is = std::get_if<std::vector<int64_t>>(&a)) return list(*is);
  return list(std::get<std::vector<double>>(a));
}

std::string constant_values(const TensorData& t) {
  std::string out = "=[";
  const bool integral = t.dtype != DType::kF32;
  for (int64_t i = 0; i < t.elements(); ++i)
    out += (i ? "," : "") + (integral ? number(t.int_at(i)) : number(t.float_at(i)));
  return out + "]";
}

std::string value_list(const Graph& g, const std::vector<int>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + print_value(g, ids[i]);
  return out;
}

}  // namespace

std::string print_value(const Graph& g, int value) {
  if (value < 0) return "-";
  if (static_cast<size_t>(value) >= g.values.size()) return "<bad value id " + std::to_string(value) + ">";
  const Value& v = g.values[static_cast<size_t>(value)];
  std::string out = (v.name.empty() ? "%" + std::to_string(value) : v.name) + (v.constant ? " const " : " ");
  out += dtype_name(v.dtype);
  out += v.shape ? shape_string(*v.shape) : "[?]";
  if (v.constant && v.constant->elements() <= static_cast<int64_t>(kShownConstantElements) &&
      v.constant->bytes.size() == static_cast<size_t>(v.constant->elements()) * dtype_size(v.constant->dtype))
    out += constant_values(*v.constant);
  return out;
}

std::string print_node(const Graph& g, const Node& n) {
  std::string out = n.op + " '" + n.name + "'  " + value_list(g, n.inputs) + " -> " + value_list(g, n.outputs);
  if (n.attrs.empty()) return out;
  out += "  {";
  bool first = true;
  for (const auto& [key, a] : n.attrs) {  // std::map: sorted by name
    out += (first ? "" : ", ") + key + "=" + attribute(a);
    first = false;
  }
  return out + "}";
}

std::string print_graph(const Graph& g) {
  size_t constants = 0;
  for (const Value& v : g.values) constants += v.constant ? 1 : 0;
  std::ostringstream out;
  out << "graph '" << g.name << "' (" << g.nodes.size() << " nodes, " << g.values.size() << " values, " << constants
      << " constants, " << g.blocks.size() << " blocks)\n";
  for (int input : g.inputs) out << "input   " << print_value(g, input) << "\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) out << "node " << i << "  " << print_node(g, g.nodes[i]) << "\n";
  for (int output : g.outputs) out << "output  " << print_value(g, output) << "\n";
  for (const Block& b : g.blocks) {
    out << "block " << b.id << "  '" << b.name << "'  nodes " << b.first_node << ".." << b.first_node + b.node_count - 1
        << "  " << print_value(g, b.input_value) << " -> " << print_value(g, b.output_value) << "\n";
  }
  return out.str();
}

}  // namespace bespoke::ir
