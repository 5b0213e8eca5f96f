// OnnxModelBuilder: builds small ONNX models with ONNX's own protobuf classes
// so importer tests can craft exactly the node (or the broken file) they need.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace bespoke::test {

class OnnxModelBuilder {
 public:
  explicit OnnxModelBuilder(int opset = 13, const std::string& graph_name = "test_graph") {
    model_.set_ir_version(opset >= 15 ? 8 : 7);
    model_.set_producer_name("bespoke-tests");
    model_.set_producer_version("1");
    auto* op = model_.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    model_.mutable_graph()->set_name(graph_name);
  }

  onnx::ModelProto& proto() { return model_; }
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }

  // dims: -1 = symbolic ("N", "H", ...); `has_shape` false leaves the shape out.
  OnnxModelBuilder& input(const std::string& name, const std::vector<int64_t>& dims,
                          int32_t elem_type = onnx::TensorProto::FLOAT, bool has_shape = true) {
    set_value_info(graph().add_input(), name, dims, elem_type, has_shape);
    return *this;
  }
  // The checker wants a shape on graph outputs; the importer ignores it (inference
  // recomputes it), so tests may leave `dims` empty.
  OnnxModelBuilder& output(const std::string& name, int32_t elem_type = onnx::TensorProto::FLOAT,
                           const std::vector<int64_t>& dims = {}) {
    set_value_info(graph().add_output(), name, dims, elem_type, true);
    return *this;
  }

  static onnx::TensorProto float_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                        const std::vector<float>& values, bool raw = true) {
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t.add_dims(d);
    if (raw)
      t.set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
    else
      for (float v : values) t.add_float_data(v);
    return t;
  }
  static onnx::TensorProto int_tensor(const std::string& name, const std::vector<int64_t>& dims,
                                      const std::vector<int64_t>& values) {
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::INT64);
    for (int64_t d : dims) t.add_dims(d);
    for (int64_t v : values) t.add_int64_data(v);
    return t;
  }

  OnnxModelBuilder& initializer(const std::string& name, const std::vector<int64_t>& dims,
                                const std::vector<float>& values) {
    *graph().add_initializer() = float_tensor(name, dims, values);
    return *this;
  }
  OnnxModelBuilder& int_initializer(const std::string& name, const std::vector<int64_t>& dims,
                                    const std::vector<int64_t>& values) {
    *graph().add_initializer() = int_tensor(name, dims, values);
    return *this;
  }
  // Filled with 0.01 * (i + 1) so values are distinct and checkable.
  OnnxModelBuilder& ramp_initializer(const std::string& name, const std::vector<int64_t>& dims) {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (size_t i = 0; i < v.size(); ++i) v[i] = 0.01f * static_cast<float>(i + 1);
    return initializer(name, dims, v);
  }

  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "") {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? outputs.at(0) + "_node" : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  static void set_int(onnx::NodeProto& n, const std::string& key, int64_t v) {
    auto* a = new_attr(n, key, onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void set_float(onnx::NodeProto& n, const std::string& key, float v) {
    auto* a = new_attr(n, key, onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void set_string(onnx::NodeProto& n, const std::string& key, const std::string& v) {
    auto* a = new_attr(n, key, onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  static void set_ints(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v) {
    auto* a = new_attr(n, key, onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void set_floats(onnx::NodeProto& n, const std::string& key, const std::vector<float>& v) {
    auto* a = new_attr(n, key, onnx::AttributeProto::FLOATS);
    for (float x : v) a->add_floats(x);
  }
  static void set_tensor(onnx::NodeProto& n, const std::string& key, const onnx::TensorProto& t) {
    auto* a = new_attr(n, key, onnx::AttributeProto::TENSOR);
    *a->mutable_t() = t;
  }

  std::string bytes() const { return model_.SerializeAsString(); }
  // Writes the model under `dir` and returns the path.
  std::string save(const std::string& dir, const std::string& file) const {
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + file;
    std::ofstream(path, std::ios::binary) << bytes();
    return path;
  }

 private:
  static onnx::AttributeProto* new_attr(onnx::NodeProto& n, const std::string& key,
                                        onnx::AttributeProto::AttributeType type) {
    auto* a = n.add_attribute();
    a->set_name(key);
    a->set_type(type);
    return a;
  }
  static void set_value_info(onnx::ValueInfoProto* vi, const std::string& name, const std::vector<int64_t>& dims,
                             int32_t elem_type, bool has_shape) {
    vi->set_name(name);
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(elem_type);
    if (!has_shape) return;
    auto* shape = tt->mutable_shape();
    int symbolic = 0;
    for (int64_t d : dims) {
      auto* dim = shape->add_dim();
      if (d >= 0)
        dim->set_dim_value(d);
      else
        dim->set_dim_param("dim" + std::to_string(symbolic++));
    }
  }

  onnx::ModelProto model_;
};

}  // namespace bespoke::test
