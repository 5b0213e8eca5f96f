// Loading the models a house is built from: the teacher of [teacher] and the
// pretrained sources of [house] pretrained, as canonical IR graphs.
#pragma once

#include <string>
#include <vector>

#include "cli/teacher_model.h"
#include "config/optimizer_config.h"
#include "house/pretrained_spans.h"
#include "ir/graph.h"

namespace bespoke::cli {

// load_teacher: cli/teacher_model.h (no LibTorch).

// A pretrained source. Its spans are re-instantiated at the teacher's sizes
// later, so any static size will do: a dynamic batch becomes 1 and dynamic
// spatial dimensions become kSourceSide (detection models such as PP-OCR's
// take any multiple of 32). Throws std::runtime_error naming the file for a
// model that fails to import or is not single-input single-output.
inline constexpr int64_t kSourceSide = 224;
house::PretrainedSource load_pretrained_source(const std::string& path);

}  // namespace bespoke::cli
