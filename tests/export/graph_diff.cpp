#include "graph_diff.h"

#include <sstream>

namespace bespoke::test {

std::string attribute_string(const ir::Attribute& a) {
  std::ostringstream os;
  os.precision(17);
  switch (a.index()) {
    case 0: os << "int " << std::get<int64_t>(a); break;
    case 1: os << "float " << std::get<double>(a); break;
    case 2: os << "string \"" << std::get<std::string>(a) << "\""; break;
    case 3:
      os << "ints";
      for (int64_t v : std::get<std::vector<int64_t>>(a)) os << ' ' << v;
      break;
    case 4:
      os << "floats";
      for (double v : std::get<std::vector<double>>(a)) os << ' ' << v;
      break;
  }
  return os.str();
}

namespace {

template <typename T>
std::string list_string(const std::vector<T>& v) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  os << ']';
  return os.str();
}

std::string kv_string(const std::vector<std::pair<std::string, std::string>>& kvs) {
  std::string s = "{";
  for (const auto& [k, v] : kvs) s += k + "=" + v + ";";
  return s + "}";
}

std::string value_difference(const ir::Value& a, const ir::Value& b) {
  if (a.name != b.name) return "name '" + a.name + "' vs '" + b.name + "'";
  if (a.dtype != b.dtype) return std::string("dtype ") + ir::dtype_name(a.dtype) + " vs " + ir::dtype_name(b.dtype);
  if (a.shape.has_value() != b.shape.has_value()) return "shape known vs unknown";
  if (a.shape && *a.shape != *b.shape)
    return "shape " + ir::shape_string(*a.shape) + " vs " + ir::shape_string(*b.shape);
  if (a.is_constant() != b.is_constant()) return "constant vs not constant";
  if (!a.is_constant()) return "";
  const ir::TensorData &ca = *a.constant, &cb = *b.constant;
  if (ca.dtype != cb.dtype || ca.shape != cb.shape) return "constant dtype/shape differ";
  if (ca.bytes != cb.bytes) return "constant bytes differ";
  return "";
}

std::string node_difference(const ir::Node& a, const ir::Node& b) {
  if (a.name != b.name) return "name '" + a.name + "' vs '" + b.name + "'";
  if (a.op != b.op) return "op " + a.op + " vs " + b.op;
  if (a.inputs != b.inputs) return "inputs " + list_string(a.inputs) + " vs " + list_string(b.inputs);
  if (a.outputs != b.outputs) return "outputs " + list_string(a.outputs) + " vs " + list_string(b.outputs);
  for (const auto& [key, value] : a.attrs) {
    auto it = b.attrs.find(key);
    if (it == b.attrs.end()) return "attribute '" + key + "' missing in the second graph";
    if (!(value == it->second))
      return "attribute '" + key + "': " + attribute_string(value) + " vs " + attribute_string(it->second);
  }
  for (const auto& [key, value] : b.attrs)
    if (!a.attrs.count(key))
      return "attribute '" + key + "' (" + attribute_string(value) + ") only in the second graph";
  return "";
}

std::string block_difference(const ir::Block& a, const ir::Block& b) {
  if (a.id != b.id || a.name != b.name) return "id/name " + a.name + " vs " + b.name;
  if (a.first_node != b.first_node || a.node_count != b.node_count) return "node range differs";
  if (a.input_value != b.input_value || a.output_value != b.output_value) return "input/output value differs";
  const ir::Provenance &p = a.provenance, &q = b.provenance;
  if (p.kind != q.kind) return "provenance kind differs";
  if (p.teacher_cut_begin != q.teacher_cut_begin || p.teacher_cut_end != q.teacher_cut_end)
    return "teacher cut differs";
  if (p.source_model != q.source_model || p.source_node_begin != q.source_node_begin ||
      p.source_node_end != q.source_node_end)
    return "provenance source differs";
  if (p.parameters != q.parameters)
    return "provenance parameters " + kv_string(p.parameters) + " vs " + kv_string(q.parameters);
  if (p.distill_loss != q.distill_loss) return "distill_loss differs";
  return "";
}

template <typename T, typename Diff>
std::string list_difference(const char* what, const std::vector<T>& a, const std::vector<T>& b, Diff diff) {
  if (a.size() != b.size())
    return std::string(what) + " count " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    std::string d = diff(a[i], b[i]);
    if (!d.empty()) return std::string(what) + " " + std::to_string(i) + ": " + d;
  }
  return "";
}

}  // namespace

std::string first_difference(const ir::Graph& a, const ir::Graph& b) {
  if (a.name != b.name) return "graph name '" + a.name + "' vs '" + b.name + "'";
  if (a.metadata != b.metadata) return "metadata " + kv_string(a.metadata) + " vs " + kv_string(b.metadata);
  std::string d = list_difference("value", a.values, b.values, value_difference);
  if (d.empty()) d = list_difference("node", a.nodes, b.nodes, node_difference);
  if (d.empty() && a.inputs != b.inputs) d = "graph inputs " + list_string(a.inputs) + " vs " + list_string(b.inputs);
  if (d.empty() && a.outputs != b.outputs)
    d = "graph outputs " + list_string(a.outputs) + " vs " + list_string(b.outputs);
  if (d.empty()) d = list_difference("block", a.blocks, b.blocks, block_difference);
  return d;
}

}  // namespace bespoke::test
