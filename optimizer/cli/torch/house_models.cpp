#include "cli/torch/house_models.h"

#include <filesystem>

#include "blocks/block_error.h"
#include "cli/cli_support.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::cli {

namespace {

bool is_onnx(const std::string& path) { return std::filesystem::path(path).extension() == ".onnx"; }

}  // namespace

ir::Graph load_teacher(const config::TeacherConfig& teacher) {
  std::map<std::string, ir::Shape> shapes;
  if (!teacher.input_shape.empty() && is_onnx(teacher.model)) {
    onnx_import::ImportOptions raw;
    raw.run_checker = false;
    const ir::Graph g = onnx_import::import_onnx(teacher.model, raw);
    shapes[g.values.at(static_cast<size_t>(g.inputs.at(0))).name] = teacher.input_shape;
  }
  return load_model(teacher.model, shapes).graph;
}

house::PretrainedSource load_pretrained_source(const std::string& path) {
  const std::string name = std::filesystem::path(path).stem().string();
  try {
    std::map<std::string, ir::Shape> shapes;
    if (is_onnx(path)) {
      // A dimension the file leaves symbolic is the one that follows default_dim.
      onnx_import::ImportOptions ones, twos;
      ones.run_checker = twos.run_checker = false;
      ones.default_dim = 1;
      twos.default_dim = 2;
      const ir::Graph a = onnx_import::import_onnx(path, ones);
      const ir::Graph b = onnx_import::import_onnx(path, twos);
      if (a.inputs.size() != 1)
        throw std::runtime_error("has " + std::to_string(a.inputs.size()) + " inputs, a source needs one");
      const ir::Value& in = a.values.at(static_cast<size_t>(a.inputs[0]));
      ir::Shape shape = a.shape_of(a.inputs[0]);
      const ir::Shape& other = b.shape_of(b.inputs[0]);
      for (size_t i = 0; i < shape.size(); ++i)
        if (shape[i] != other[i]) shape[i] = i >= 2 ? kSourceSide : 1;
      shapes[in.name] = shape;
    }
    ir::Graph g = load_model(path, shapes).graph;
    return house::make_pretrained_source(name, path, std::move(g));
  } catch (const std::exception& e) {
    throw std::runtime_error("pretrained source '" + path + "': " + one_line(e.what()));
  }
}

}  // namespace bespoke::cli
