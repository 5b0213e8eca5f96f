// Internal: bytes -> a checked onnx::ModelProto the graph importer can trust
// structurally. Size bounds, protobuf parsing, sanity of the model header,
// external data, operators unknown to ONNX, the ONNX checker, and the
// up-conversion of models older than opset 9 with ONNX's version converter.
#pragma once

#include <cstddef>
#include <string>

#include <onnx/onnx_pb.h>

namespace bespoke::onnx_import::detail {

// Inclusive range of default-domain opsets the importer reads directly.
constexpr int kMinOpset = 9;
constexpr int kMaxOpset = 17;
// Protobuf cannot parse messages of 2 GiB or more.
constexpr size_t kMaxModelBytes = 0x7fffffff;

struct ParsedModel {
  onnx::ModelProto proto;
  int source_opset = 0;  // default-domain opset of the file
  int opset = 0;         // default-domain opset of `proto` (after any up-conversion)
};

// The whole file, refusing files over kMaxModelBytes. Throws ImportError.
std::string read_model_file(const std::string& path);

// Throws ImportError with `source` in the message.
ParsedModel parse_model(const void* data, size_t size, const std::string& source, bool run_checker);

// Default-domain opset of a model ("" or "ai.onnx"), or 0 if it imports none.
int default_opset(const onnx::ModelProto& model);

// True for the default ONNX domain ("" or "ai.onnx").
bool is_default_domain(const std::string& domain);

}  // namespace bespoke::onnx_import::detail
