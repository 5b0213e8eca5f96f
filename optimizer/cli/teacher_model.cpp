#include "cli/teacher_model.h"

#include <filesystem>
#include <map>

#include "cli/cli_support.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::cli {

ir::Graph load_teacher(const config::TeacherConfig& teacher) {
  std::map<std::string, ir::Shape> shapes;
  if (!teacher.input_shape.empty() && std::filesystem::path(teacher.model).extension() == ".onnx") {
    for (const onnx_import::DeclaredInput& in : onnx_import::declared_inputs(teacher.model))
      shapes[in.name] = teacher.input_shape;
  }
  return load_model(teacher.model, shapes).graph;
}

}  // namespace bespoke::cli
