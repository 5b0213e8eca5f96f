#include "harness/onnx_to_bspk.h"

#include <exception>
#include <typeinfo>

#include "export/bspk_writer.h"

namespace bespoke::e2e {
namespace {

Conversion failure(ConvertStatus status, const std::string& step, const std::string& what) {
  Conversion c;
  c.status = status;
  c.message = step + ": " + what;
  return c;
}

}  // namespace

Conversion convert_onnx_file(const std::string& path, const onnx_import::ImportOptions& options) {
  ir::Graph graph;
  try {
    graph = onnx_import::load_onnx_for_inference(path, options);
  } catch (const onnx_import::ImportError& e) {
    return failure(ConvertStatus::kUnsupported, "import", e.what());
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

}  // namespace bespoke::e2e
