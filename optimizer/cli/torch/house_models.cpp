#include "cli/torch/house_models.h"

#include <filesystem>

#include "blocks/block_error.h"
#include "cli/cli_support.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::cli {

namespace {

bool is_onnx(const std::string& path) { return std::filesystem::path(path).extension() == ".onnx"; }

}  // namespace

house::PretrainedSource load_pretrained_source(const std::string& path) {
  const std::string name = std::filesystem::path(path).stem().string();
  try {
    std::map<std::string, ir::Shape> shapes;
    if (is_onnx(path)) {
      const std::vector<onnx_import::DeclaredInput> inputs = onnx_import::declared_inputs(path);
      if (inputs.size() != 1)
        throw std::runtime_error("has " + std::to_string(inputs.size()) + " inputs, a source needs one");
      const onnx_import::DeclaredInput& in = inputs[0];
      if (in.has_shape) {
        ir::Shape shape = in.dims;
        for (size_t i = 0; i < shape.size(); ++i)
          if (shape[i] < 0) shape[i] = i >= 2 ? kSourceSide : 1;
        shapes[in.name] = shape;
      }
    }
    ir::Graph g = load_model(path, shapes).graph;
    return house::make_pretrained_source(name, path, std::move(g));
  } catch (const std::exception& e) {
    throw std::runtime_error("pretrained source '" + path + "': " + one_line(e.what()));
  }
}

}  // namespace bespoke::cli
