#include "onnx_export/onnx_graph_builder.h"

#include <cstring>

#include "export/export_error.h"

namespace bespoke::onnx_export {

using exporter::ExportError;

namespace {

std::string unique_in(std::set<std::string>& used, const std::string& wanted, const char* fallback) {
  std::string base = wanted.empty() ? fallback : wanted;
  std::string name = base;
  for (int i = 1; used.count(name); ++i) name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

}  // namespace

int32_t onnx_elem_type(ir::DType t) {
  switch (t) {
    case ir::DType::kF32: return onnx::TensorProto_DataType_FLOAT;
    case ir::DType::kI8: return onnx::TensorProto_DataType_INT8;
    case ir::DType::kU8: return onnx::TensorProto_DataType_UINT8;
    case ir::DType::kI32: return onnx::TensorProto_DataType_INT32;
    case ir::DType::kI64: return onnx::TensorProto_DataType_INT64;
    case ir::DType::kBool: return onnx::TensorProto_DataType_BOOL;
  }
  throw ExportError("unknown dtype");
}

std::string OnnxGraphBuilder::unique_value_name(const std::string& wanted) {
  return unique_in(value_names_, wanted, "value");
}

onnx::NodeProto& OnnxGraphBuilder::add_node(const std::string& op_type, std::vector<std::string> inputs,
                                            const std::vector<std::string>& outputs, const std::string& name) {
  while (!inputs.empty() && inputs.back().empty()) inputs.pop_back();
  onnx::NodeProto& n = *graph_->add_node();
  n.set_op_type(op_type);
  n.set_name(unique_in(node_names_, name, op_type.c_str()));
  for (const auto& i : inputs) n.add_input(i);
  for (const auto& o : outputs) n.add_output(o);
  return n;
}

std::string OnnxGraphBuilder::add_initializer(const std::string& name, const ir::TensorData& data) {
  onnx::TensorProto& t = *graph_->add_initializer();
  t.set_name(name);
  t.set_data_type(onnx_elem_type(data.dtype));
  for (int64_t d : data.shape) t.add_dims(d);
  t.set_raw_data(data.bytes.data(), data.bytes.size());
  return name;
}

std::string OnnxGraphBuilder::add_int64s(const std::string& base, const std::vector<int64_t>& values) {
  return add_initializer(unique_value_name(base),
                         ir::TensorData::from_ints({static_cast<int64_t>(values.size())}, values));
}

std::string OnnxGraphBuilder::add_scalar(const std::string& base, ir::DType dtype, double value) {
  ir::TensorData data;
  data.dtype = dtype;
  data.bytes.resize(ir::dtype_size(dtype));
  auto store = [&](auto v) { std::memcpy(data.bytes.data(), &v, sizeof(v)); };
  switch (dtype) {
    case ir::DType::kF32: store(static_cast<float>(value)); break;
    case ir::DType::kI8: store(static_cast<int8_t>(value)); break;
    case ir::DType::kU8: store(static_cast<uint8_t>(value)); break;
    case ir::DType::kI32: store(static_cast<int32_t>(value)); break;
    case ir::DType::kI64: store(static_cast<int64_t>(value)); break;
    case ir::DType::kBool: store(static_cast<uint8_t>(value != 0.0)); break;
  }
  return add_initializer(unique_value_name(base), data);
}

void OnnxGraphBuilder::set_attr(onnx::NodeProto& n, const std::string& key, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto_AttributeType_INT);
  a->set_i(v);
}

void OnnxGraphBuilder::set_attr(onnx::NodeProto& n, const std::string& key, const std::vector<int64_t>& v) {
  auto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto_AttributeType_INTS);
  for (int64_t x : v) a->add_ints(x);
}

void OnnxGraphBuilder::set_attr(onnx::NodeProto& n, const std::string& key, float v) {
  auto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto_AttributeType_FLOAT);
  a->set_f(v);
}

void OnnxGraphBuilder::set_attr(onnx::NodeProto& n, const std::string& key, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(key);
  a->set_type(onnx::AttributeProto_AttributeType_STRING);
  a->set_s(v);
}

void OnnxGraphBuilder::fill_value_info(onnx::ValueInfoProto* info, const std::string& name, ir::DType dtype,
                                       const ir::Shape& shape) {
  info->set_name(name);
  auto* tensor = info->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx_elem_type(dtype));
  auto* dims = tensor->mutable_shape();
  for (int64_t d : shape) dims->add_dim()->set_dim_value(d);
}

}  // namespace bespoke::onnx_export
