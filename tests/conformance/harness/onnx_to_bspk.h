// ONNX file -> optimizer IR -> serialized .bspk, in memory, with the
// converter's own libraries (bespoke_onnx + bespoke_export). Errors the
// importer and writer document as "cannot convert this" (ImportError,
// ir::GraphError, exporter::ExportError) are kept apart from anything else,
// which is a bug in the converter -- as is an ImportError that names no
// unsupported operator but says shape inference, the optimization passes or
// the validator rejected the graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onnx_import/onnx_importer.h"

namespace bespoke::test::e2e {

enum class ConvertStatus { kOk, kUnsupported, kError };

struct Conversion {
  ConvertStatus status = ConvertStatus::kError;
  std::string message;        // first line(s) of the error when not kOk
  std::vector<uint8_t> bspk;  // the serialized model when kOk
};

Conversion convert_onnx_file(const std::string& path, const onnx_import::ImportOptions& options);

}  // namespace bespoke::test::e2e
