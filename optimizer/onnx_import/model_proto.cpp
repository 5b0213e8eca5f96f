#include "onnx_import/model_proto.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include "onnx_import/import_messages.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::onnx_import::detail {

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw ImportError(source + ": " + problem);
}

std::string node_label(const onnx::NodeProto& node, int index) {
  if (!node.name().empty()) return "'" + node.name() + "'";
  if (node.output_size() > 0 && !node.output(0).empty()) return "producing '" + node.output(0) + "'";
  return "#" + std::to_string(index);
}

// Every tensor stored in another file, named, so that one message lists them all.
void reject_external_data(const onnx::ModelProto& model, const std::string& source) {
  std::vector<std::string> external;
  auto inspect = [&](const onnx::TensorProto& t) {
    if (t.data_location() != onnx::TensorProto::EXTERNAL) return;
    std::string location;
    for (const auto& entry : t.external_data())
      if (entry.key() == "location") location = entry.value();
    external.push_back("'" + t.name() + "'" + (location.empty() ? "" : " (in '" + location + "')"));
  };
  const auto& graph = model.graph();
  for (const auto& t : graph.initializer()) inspect(t);
  for (const auto& node : graph.node())
    for (const auto& attr : node.attribute())
      if (attr.has_t()) inspect(attr.t());
  if (external.empty()) return;
  std::string list;
  for (size_t i = 0; i < external.size() && i < 5; ++i) list += (i ? ", " : "") + external[i];
  if (external.size() > 5) list += " and " + std::to_string(external.size() - 5) + " more";
  fail(source, std::to_string(external.size()) +
                   " tensor(s) store their data in external files, which is not supported: " + list +
                   "; save the model with all tensors inside the .onnx file (onnx.save(model, path, "
                   "save_as_external_data=False))");
}

// Operators ONNX itself does not know at this opset, all of them at once
// (the checker would stop at the first).
void reject_unknown_operators(const onnx::ModelProto& model, int opset, const std::string& source) {
  std::map<std::string, std::vector<std::string>> unknown;
  const auto& graph = model.graph();
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto& node = graph.node(i);
    if (!is_default_domain(node.domain())) continue;  // other domains are reported by legalize
    if (onnx::OpSchemaRegistry::Schema(node.op_type(), opset, "") == nullptr)
      unknown[node.op_type()].push_back(node_label(node, i));
  }
  if (unknown.empty()) return;
  fail(source, "operators unknown to ONNX opset " + std::to_string(opset) + ": " + ops_with_nodes(unknown));
}

void run_onnx_checker(const onnx::ModelProto& model, const std::string& source, const char* stage) {
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    fail(source, std::string("ONNX checker rejected the model") + stage + ": " + one_line(e.what()));
  }
}

}  // namespace

bool is_default_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

int default_opset(const onnx::ModelProto& model) {
  for (const auto& entry : model.opset_import())
    if (is_default_domain(entry.domain())) return static_cast<int>(entry.version());
  return 0;
}

std::string read_model_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) fail(path, "no such file");
  if (!std::filesystem::is_regular_file(status)) fail(path, "not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, "cannot read the file size: " + ec.message());
  if (size > kMaxModelBytes)
    fail(path, "file is " + std::to_string(size) + " bytes; ONNX models of 2 GiB or more are not supported");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  std::string bytes(static_cast<size_t>(size), '\0');
  if (size > 0 && !in.read(bytes.data(), static_cast<std::streamsize>(size))) fail(path, "cannot read the file");
  return bytes;
}

ParsedModel parse_model(const void* data, size_t size, const std::string& source, bool run_checker) {
  if (size == 0) fail(source, "empty file: truncated or not an ONNX model");
  if (size > kMaxModelBytes)
    fail(source, std::to_string(size) + " bytes; ONNX models of 2 GiB or more are not supported");

  ParsedModel parsed;
  google::protobuf::io::CodedInputStream stream(static_cast<const uint8_t*>(data), static_cast<int>(size));
  stream.SetTotalBytesLimit(INT_MAX);
  if (!parsed.proto.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    fail(source, "truncated or not an ONNX model (protobuf parsing failed)");
  const onnx::ModelProto& model = parsed.proto;
  // Random or cut bytes can still parse as a protobuf message; a model has these.
  if (model.ir_version() <= 0 || !model.has_graph())
    fail(source,
         std::string("truncated or not an ONNX model (no ") + (model.has_graph() ? "ir_version" : "graph") + ")");
  if (model.graph().sparse_initializer_size() > 0) fail(source, "sparse initializers are not supported");

  parsed.source_opset = default_opset(model);
  if (parsed.source_opset <= 0) fail(source, "the model imports no opset of the default ONNX domain");
  if (parsed.source_opset > kMaxOpset)
    fail(source, "opset " + std::to_string(parsed.source_opset) + " is newer than supported (" +
                     std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ")");
  reject_external_data(model, source);
  reject_unknown_operators(model, parsed.source_opset, source);
  // The version converter assumes a structurally valid model: always check before converting.
  if (run_checker || parsed.source_opset < kMinOpset) run_onnx_checker(model, source, "");

  parsed.opset = parsed.source_opset;
  if (parsed.source_opset < kMinOpset) {
    try {
      // Adapters such as the opset-7 broadcasting one need the value shapes,
      // which ONNX's own shape inference records as value_info.
      onnx::ModelProto with_shapes = model;
      onnx::shape_inference::InferShapes(with_shapes);
      parsed.proto = onnx::version_conversion::ConvertVersion(with_shapes, kMinOpset);
    } catch (const std::exception& e) {
      fail(source, "opset " + std::to_string(parsed.source_opset) + " model could not be up-converted to opset " +
                       std::to_string(kMinOpset) + ": " + one_line(e.what()));
    }
    parsed.opset = default_opset(parsed.proto);
    if (parsed.opset != kMinOpset)
      fail(source, "ONNX's version converter produced opset " + std::to_string(parsed.opset) + " instead of " +
                       std::to_string(kMinOpset));
    if (run_checker) run_onnx_checker(parsed.proto, source, " after up-conversion to opset 9");
  }
  return parsed;
}

}  // namespace bespoke::onnx_import::detail
