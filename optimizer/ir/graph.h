// The optimizer's graph IR: values (tensors with static shapes, optionally
// constant) and nodes (operators with named attributes), close to ONNX so
// that import is direct, with the canonical operator set of op_set.h as the
// target of the clean-up passes. No LibTorch, no protobuf here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace bespoke::ir {

enum class DType : uint8_t { kF32, kI8, kU8, kI32, kI64, kBool };

const char* dtype_name(DType t);
size_t dtype_size(DType t);

using Shape = std::vector<int64_t>;
int64_t shape_elements(const Shape& s);
std::string shape_string(const Shape& s);

// Contents of a constant tensor (little-endian, row-major).
struct TensorData {
  DType dtype = DType::kF32;
  Shape shape;
  std::vector<uint8_t> bytes;

  int64_t elements() const { return shape_elements(shape); }
  template <typename T>
  const T* as() const {
    return reinterpret_cast<const T*>(bytes.data());
  }
  template <typename T>
  T* as() {
    return reinterpret_cast<T*>(bytes.data());
  }
  // Element i converted to int64 / double whatever the dtype.
  int64_t int_at(int64_t i) const;
  double float_at(int64_t i) const;

  static TensorData from_floats(Shape shape, const std::vector<float>& values);
  static TensorData from_ints(Shape shape, const std::vector<int64_t>& values);  // I64
};

using ConstantPtr = std::shared_ptr<const TensorData>;

struct Value {
  std::string name;
  DType dtype = DType::kF32;
  std::optional<Shape> shape;  // nullopt until shape inference knows it
  ConstantPtr constant;        // non-null: a weight / initializer

  bool is_constant() const { return constant != nullptr; }
};

using Attribute = std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>>;

struct Node {
  std::string name;
  std::string op;            // "Conv", "Relu", ... (see op_set.h)
  std::vector<int> inputs;   // value ids; -1 = optional input absent
  std::vector<int> outputs;  // value ids
  std::map<std::string, Attribute> attrs;

  bool has(const std::string& key) const { return attrs.count(key) != 0; }
  int64_t get_int(const std::string& key, int64_t fallback) const;
  double get_float(const std::string& key, double fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  std::vector<int64_t> get_ints(const std::string& key, const std::vector<int64_t>& fallback = {}) const;
  std::vector<double> get_floats(const std::string& key, const std::vector<double>& fallback = {}) const;
  // Inputs that are present (>= 0).
  int input(size_t i) const { return i < inputs.size() ? inputs[i] : -1; }
};

// Where a block came from; mirrors fb::Provenance.
enum class ProvenanceKind : uint8_t { kTeacherSpan, kPretrainedSpan, kPruned, kLowRank, kOther };

struct Provenance {
  ProvenanceKind kind = ProvenanceKind::kTeacherSpan;
  int teacher_cut_begin = -1;
  int teacher_cut_end = -1;
  std::string source_model;
  std::string source_node_begin;
  std::string source_node_end;
  std::vector<std::pair<std::string, std::string>> parameters;
  float distill_loss = -1.0f;

  bool operator==(const Provenance& o) const;
};

// A contiguous range of nodes (in graph order) with one input and one output value.
struct Block {
  uint32_t id = 0;
  std::string name;
  int first_node = 0;
  int node_count = 0;
  int input_value = -1;
  int output_value = -1;
  Provenance provenance;
};

class GraphError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Graph {
 public:
  std::string name;
  std::vector<Value> values;
  std::vector<Node> nodes;   // execution order once topologically sorted
  std::vector<int> inputs;   // value ids of graph inputs
  std::vector<int> outputs;  // value ids of graph outputs
  std::vector<Block> blocks;
  std::vector<std::pair<std::string, std::string>> metadata;

  int add_value(Value v);
  int add_constant(const std::string& name, TensorData data);
  int add_node(Node n);
  // Value id by name, or -1.
  int find_value(const std::string& name) const;
  // A name not used by any value, derived from `base`.
  std::string unique_name(const std::string& base) const;

  // Index of the node producing value v, or -1 (graph input / constant).
  // Linear scan; passes needing it often should build a use-def map.
  int producer(int value) const;
  // Nodes that read value v (in node order).
  std::vector<int> consumers(int value) const;
  // Replace every use of `from` (node inputs and graph outputs) by `to`.
  void replace_uses(int from, int to);
  // Drop nodes flagged in `dead` (size == nodes.size()), keep order. Block
  // ranges shift accordingly; blocks left without nodes (or already out of
  // range) are dropped.
  void erase_nodes(const std::vector<bool>& dead);
  // Drop values no node, graph input or output references; renumbers ids.
  void compact_values();

  const Shape& shape_of(int value) const;  // throws GraphError if unknown
};

}  // namespace bespoke::ir
