#include "ir/graph.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace bespoke::ir {

const char* dtype_name(DType t) {
  switch (t) {
    case DType::kF32: return "float32";
    case DType::kI8: return "int8";
    case DType::kU8: return "uint8";
    case DType::kI32: return "int32";
    case DType::kI64: return "int64";
    case DType::kBool: return "bool";
  }
  return "?";
}

size_t dtype_size(DType t) {
  switch (t) {
    case DType::kF32: return 4;
    case DType::kI8: return 1;
    case DType::kU8: return 1;
    case DType::kI32: return 4;
    case DType::kI64: return 8;
    case DType::kBool: return 1;
  }
  return 0;
}

int64_t shape_elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string shape_string(const Shape& s) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < s.size(); ++i) os << (i ? "," : "") << s[i];
  os << ']';
  return os.str();
}

int64_t TensorData::int_at(int64_t i) const {
  switch (dtype) {
    case DType::kF32: return static_cast<int64_t>(as<float>()[i]);
    case DType::kI8: return as<int8_t>()[i];
    case DType::kU8: return as<uint8_t>()[i];
    case DType::kI32: return as<int32_t>()[i];
    case DType::kI64: return as<int64_t>()[i];
    case DType::kBool: return as<uint8_t>()[i] != 0;
  }
  return 0;
}

double TensorData::float_at(int64_t i) const {
  if (dtype == DType::kF32) return as<float>()[i];
  return static_cast<double>(int_at(i));
}

TensorData TensorData::from_floats(Shape shape, const std::vector<float>& values) {
  TensorData t;
  t.dtype = DType::kF32;
  t.shape = std::move(shape);
  t.bytes.resize(values.size() * sizeof(float));
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

TensorData TensorData::from_ints(Shape shape, const std::vector<int64_t>& values) {
  TensorData t;
  t.dtype = DType::kI64;
  t.shape = std::move(shape);
  t.bytes.resize(values.size() * sizeof(int64_t));
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

namespace {
template <typename T>
const T* find_attr(const std::map<std::string, Attribute>& attrs, const std::string& key) {
  auto it = attrs.find(key);
  if (it == attrs.end()) return nullptr;
  return std::get_if<T>(&it->second);
}
}  // namespace

int64_t Node::get_int(const std::string& key, int64_t fallback) const {
  if (auto* v = find_attr<int64_t>(attrs, key)) return *v;
  if (auto* d = find_attr<double>(attrs, key)) return static_cast<int64_t>(*d);
  return fallback;
}

double Node::get_float(const std::string& key, double fallback) const {
  if (auto* v = find_attr<double>(attrs, key)) return *v;
  if (auto* i = find_attr<int64_t>(attrs, key)) return static_cast<double>(*i);
  return fallback;
}

std::string Node::get_string(const std::string& key, const std::string& fallback) const {
  if (auto* v = find_attr<std::string>(attrs, key)) return *v;
  return fallback;
}

std::vector<int64_t> Node::get_ints(const std::string& key, const std::vector<int64_t>& fallback) const {
  if (auto* v = find_attr<std::vector<int64_t>>(attrs, key)) return *v;
  return fallback;
}

std::vector<double> Node::get_floats(const std::string& key, const std::vector<double>& fallback) const {
  if (auto* v = find_attr<std::vector<double>>(attrs, key)) return *v;
  return fallback;
}

bool Provenance::operator==(const Provenance& o) const {
  return kind == o.kind && teacher_cut_begin == o.teacher_cut_begin && teacher_cut_end == o.teacher_cut_end &&
         source_model == o.source_model && source_node_begin == o.source_node_begin &&
         source_node_end == o.source_node_end && parameters == o.parameters && distill_loss == o.distill_loss;
}

int Graph::add_value(Value v) {
  values.push_back(std::move(v));
  return static_cast<int>(values.size() - 1);
}

int Graph::add_constant(const std::string& value_name, TensorData data) {
  Value v;
  v.name = value_name;
  v.dtype = data.dtype;
  v.shape = data.shape;
  v.constant = std::make_shared<const TensorData>(std::move(data));
  return add_value(std::move(v));
}

int Graph::add_node(Node n) {
  nodes.push_back(std::move(n));
  return static_cast<int>(nodes.size() - 1);
}

int Graph::find_value(const std::string& value_name) const {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i].name == value_name) return static_cast<int>(i);
  return -1;
}

std::string Graph::unique_name(const std::string& base) const {
  std::unordered_set<std::string> used;
  for (const auto& v : values) used.insert(v.name);
  if (!used.count(base)) return base;
  for (int i = 1;; ++i) {
    std::string candidate = base + "_" + std::to_string(i);
    if (!used.count(candidate)) return candidate;
  }
}

int Graph::producer(int value) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    for (int o : nodes[i].outputs)
      if (o == value) return static_cast<int>(i);
  return -1;
}

std::vector<int> Graph::consumers(int value) const {
  std::vector<int> out;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (std::find(nodes[i].inputs.begin(), nodes[i].inputs.end(), value) != nodes[i].inputs.end())
      out.push_back(static_cast<int>(i));
  return out;
}

void Graph::replace_uses(int from, int to) {
  for (auto& n : nodes)
    for (int& i : n.inputs)
      if (i == from) i = to;
  for (int& o : outputs)
    if (o == from) o = to;
  for (auto& b : blocks) {
    if (b.input_value == from) b.input_value = to;
    if (b.output_value == from) b.output_value = to;
  }
}

void Graph::erase_nodes(const std::vector<bool>& dead) {
  // Blocks are node ranges: shift them past erased nodes and drop the ones left empty.
  std::vector<int> erased_before(nodes.size() + 1, 0);
  for (size_t i = 0; i < nodes.size(); ++i) erased_before[i + 1] = erased_before[i] + (dead[i] ? 1 : 0);
  std::vector<Block> kept_blocks;
  for (auto& b : blocks) {
    if (b.first_node < 0 || b.node_count < 0 ||
        static_cast<size_t>(b.first_node) + static_cast<size_t>(b.node_count) > nodes.size())
      continue;
    const auto first = static_cast<size_t>(b.first_node);
    const auto end = first + static_cast<size_t>(b.node_count);
    b.node_count -= erased_before[end] - erased_before[first];
    b.first_node -= erased_before[first];
    if (b.node_count > 0) kept_blocks.push_back(std::move(b));
  }
  blocks = std::move(kept_blocks);

  std::vector<Node> kept;
  kept.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    if (!dead[i]) kept.push_back(std::move(nodes[i]));
  nodes = std::move(kept);
}

void Graph::compact_values() {
  std::vector<bool> used(values.size(), false);
  auto mark = [&](int v) {
    if (v >= 0) used[static_cast<size_t>(v)] = true;
  };
  for (const auto& n : nodes) {
    for (int v : n.inputs) mark(v);
    for (int v : n.outputs) mark(v);
  }
  for (int v : inputs) mark(v);
  for (int v : outputs) mark(v);
  for (const auto& b : blocks) {
    mark(b.input_value);
    mark(b.output_value);
  }
  std::vector<int> remap(values.size(), -1);
  std::vector<Value> kept;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(values[i]));
  }
  values = std::move(kept);
  auto re = [&](int& v) {
    if (v >= 0) v = remap[static_cast<size_t>(v)];
  };
  for (auto& n : nodes) {
    for (int& v : n.inputs) re(v);
    for (int& v : n.outputs) re(v);
  }
  for (int& v : inputs) re(v);
  for (int& v : outputs) re(v);
  for (auto& b : blocks) {
    re(b.input_value);
    re(b.output_value);
  }
}

const Shape& Graph::shape_of(int value) const {
  const Value& v = values.at(static_cast<size_t>(value));
  if (!v.shape) throw GraphError("shape of value '" + v.name + "' is unknown");
  return *v.shape;
}

}  // namespace bespoke::ir
