#include "onnx_test_case.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

namespace bespoke::test::conformance {
namespace fs = std::filesystem;
namespace {

template <typename Proto>
Proto parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  Proto proto;
  if (!proto.ParseFromIstream(&in)) throw std::runtime_error("cannot parse '" + path + "' as " + proto.GetTypeName());
  return proto;
}

// prefix_0.pb, prefix_1.pb, ... in index order, stopping at the first gap.
std::vector<onnx::TensorProto> read_numbered(const fs::path& dir, const std::string& prefix) {
  std::vector<onnx::TensorProto> tensors;
  for (int i = 0;; ++i) {
    const fs::path file = dir / (prefix + "_" + std::to_string(i) + ".pb");
    if (!fs::exists(file)) break;
    tensors.push_back(parse_file<onnx::TensorProto>(file.string()));
  }
  return tensors;
}

}  // namespace

std::vector<OnnxTestCase> list_test_cases(const std::string& suite_dir) {
  std::vector<OnnxTestCase> cases;
  if (!fs::is_directory(suite_dir)) return cases;
  for (const auto& entry : fs::directory_iterator(suite_dir)) {
    if (entry.is_directory() && fs::exists(entry.path() / "model.onnx"))
      cases.push_back({entry.path().filename().string(), entry.path().string()});
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return cases;
}

onnx::ModelProto read_model(const std::string& path) { return parse_file<onnx::ModelProto>(path); }

std::vector<DataSet> read_data_sets(const std::string& case_dir) {
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(case_dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0)
      dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<DataSet> sets;
  for (const auto& d : dirs) sets.push_back({d.string(), read_numbered(d, "input"), read_numbered(d, "output")});
  return sets;
}

std::vector<std::string> runtime_input_names(const onnx::ModelProto& model) {
  std::set<std::string> initialized;
  for (const auto& init : model.graph().initializer()) initialized.insert(init.name());
  std::vector<std::string> names;
  for (const auto& in : model.graph().input())
    if (!initialized.count(in.name())) names.push_back(in.name());
  return names;
}

std::string non_tensor_kind(const onnx::ValueInfoProto& value) {
  switch (value.type().value_case()) {
    case onnx::TypeProto::kTensorType: return "";
    case onnx::TypeProto::kSequenceType: return "sequence";
    case onnx::TypeProto::kOptionalType: return "optional";
    case onnx::TypeProto::kMapType: return "map";
    case onnx::TypeProto::kSparseTensorType: return "sparse tensor";
    default: return "value without a tensor type";
  }
}

std::string element_type_name(int32_t data_type) {
  if (onnx::TensorProto_DataType_IsValid(data_type))
    return onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(data_type));
  return "type " + std::to_string(data_type);
}

bool to_float_tensor(const onnx::TensorProto& t, test::e2e::FloatTensor* out, std::string* why) {
  if (t.data_type() != onnx::TensorProto::FLOAT) {
    *why = "element type " + element_type_name(t.data_type());
    return false;
  }
  if (t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL) {
    *why = "external data";
    return false;
  }
  // Count from the dims, checked against the data actually present before
  // allocating (a sequence/optional .pb misread as a tensor has wild dims).
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > (int64_t{1} << 40) / d)) {
      *why = "invalid dims";
      return false;
    }
    count *= d;
  }
  const int64_t available =
      t.has_raw_data() ? static_cast<int64_t>(t.raw_data().size() / sizeof(float)) : t.float_data_size();
  if (t.has_raw_data() && t.raw_data().size() % sizeof(float) != 0) {
    *why = "raw_data size is not a multiple of 4";
    return false;
  }
  if (available != count) {
    *why = std::string(t.has_raw_data() ? "raw_data" : "float_data") + " holds " + std::to_string(available) +
           " floats, dims say " + std::to_string(count);
    return false;
  }
  out->shape.assign(t.dims().begin(), t.dims().end());
  out->values.resize(static_cast<size_t>(count));
  if (t.has_raw_data())
    std::memcpy(out->values.data(), t.raw_data().data(), t.raw_data().size());  // little-endian host
  else
    std::copy(t.float_data().begin(), t.float_data().end(), out->values.begin());
  return true;
}

}  // namespace bespoke::test::conformance
