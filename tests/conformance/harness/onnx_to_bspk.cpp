#include "harness/onnx_to_bspk.h"

#include <exception>
#include <typeinfo>

#include "export/bspk_writer.h"

namespace bespoke::test::e2e {
namespace {

Conversion failure(ConvertStatus status, const std::string& step, const std::string& what) {
  Conversion c;
  c.status = status;
  c.message = step + ": " + what;
  return c;
}

// An ImportError is "unsupported" only when it names an operator the
// converter lacks. A graph of known operators that shape inference, the
// optimization passes or the validator reject is a converter bug, and must
// not hide among the unsupported cases.
ConvertStatus import_error_status(const std::string& what) {
  if (what.find("unsupported operator") != std::string::npos) return ConvertStatus::kUnsupported;
  for (const char* bug : {"shape inference failed", "graph optimization failed", "the converted graph is not valid"})
    if (what.find(bug) != std::string::npos) return ConvertStatus::kError;
  return ConvertStatus::kUnsupported;
}

}  // namespace

Conversion convert_onnx_file(const std::string& path, const onnx_import::ImportOptions& options) {
  ir::Graph graph;
  try {
    graph = onnx_import::load_onnx_for_inference(path, options);
  } catch (const onnx_import::ImportError& e) {
    return failure(import_error_status(e.what()), "import", e.what());
  } catch (const ir::GraphError& e) {
    return failure(ConvertStatus::kUnsupported, "import", e.what());
  } catch (const std::exception& e) {
    return failure(ConvertStatus::kError, "import threw " + std::string(typeid(e).name()), e.what());
  }
  Conversion c;
  try {
    c.bspk = exporter::write_bspk(graph);
  } catch (const exporter::ExportError& e) {
    return failure(ConvertStatus::kUnsupported, "write_bspk", e.what());
  } catch (const ir::GraphError& e) {
    return failure(ConvertStatus::kUnsupported, "write_bspk", e.what());
  } catch (const std::exception& e) {
    return failure(ConvertStatus::kError, "write_bspk threw " + std::string(typeid(e).name()), e.what());
  }
  c.status = ConvertStatus::kOk;
  return c;
}

}  // namespace bespoke::test::e2e
