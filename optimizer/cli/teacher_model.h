// Loading the teacher of a config's [teacher] table as an IR graph: the
// house build, house eval and the latency commands all start from it. No
// LibTorch (the latency commands build without it).
#pragma once

#include "config/optimizer_config.h"
#include "ir/graph.h"

namespace bespoke::cli {

// The teacher (ONNX or .bspk) at teacher.input_shape when given.
ir::Graph load_teacher(const config::TeacherConfig& teacher);

}  // namespace bespoke::cli
