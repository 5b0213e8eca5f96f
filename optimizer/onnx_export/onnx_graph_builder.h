// Internal to the ONNX writer: appends nodes, initializers and attributes to
// an onnx::GraphProto while keeping every value and node name unique.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"

namespace bespoke::onnx_export {

int32_t onnx_elem_type(ir::DType t);

class OnnxGraphBuilder {
 public:
  explicit OnnxGraphBuilder(onnx::GraphProto* graph) : graph_(graph) {}

  onnx::GraphProto& graph() { return *graph_; }

  // `wanted` if still free (and non-empty), else wanted_1, wanted_2, ...
  std::string unique_value_name(const std::string& wanted);

  // A node; `name` is made unique among node names. Trailing "" inputs
  // (absent optional inputs) are dropped.
  onnx::NodeProto& add_node(const std::string& op_type, std::vector<std::string> inputs,
                            const std::vector<std::string>& outputs, const std::string& name);

  // Initializers; each returns the (unique) name it was given.
  std::string add_initializer(const std::string& name, const ir::TensorData& data);
  std::string add_int64s(const std::string& base, const std::vector<int64_t>& values);  // 1-D
  std::string add_scalar(const std::string& base, ir::DType dtype, double value);       // rank 0

  static void set_attr(onnx::NodeProto& n, const std::string& key, int64_t v);
  static void set_attr(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v);
  static void set_attr(onnx::NodeProto& n, const std::string& key, float v);
  static void set_attr(onnx::NodeProto& n, const std::string& key, const std::string& v);

  // Graph input / output / value_info entry with a static shape.
  static void fill_value_info(onnx::ValueInfoProto* info, const std::string& name, ir::DType dtype,
                              const ir::Shape& shape);

 private:
  onnx::GraphProto* graph_;
  std::set<std::string> value_names_;
  std::set<std::string> node_names_;
};

}  // namespace bespoke::onnx_export
