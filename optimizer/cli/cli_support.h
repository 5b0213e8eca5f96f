// Helpers shared by bespoke-opt subcommands: model loading by file type,
// --input-shape parsing, one-line messages, readable numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::cli {

// Newlines folded into spaces, trailing space removed: errors stay one line.
std::string one_line(const std::string& text);

// "NAME=D1,D2,..." specs (repeatable option) -> shapes by input name. The name
// is everything before the last '='. Throws UsageError.
std::map<std::string, ir::Shape> parse_input_shapes(const std::vector<std::string>& specs);

struct LoadedModel {
  ir::Graph graph;
  std::string format;  // "onnx" or "bspk"
};

// A .bspk (recognized by its "BSPK" file identifier, whatever the extension)
// read back as IR, or an ONNX model imported for inference
// (load_onnx_for_inference) with the given input shapes, its notes (a
// defaulted batch dimension) printed on stderr. Throws UsageError
// when input shapes are given for a .bspk (its shapes are fixed), and the
// loaders' errors otherwise.
LoadedModel load_model(const std::string& path, const std::map<std::string, ir::Shape>& input_shapes);

// 1234567 -> "1.23 M"; below 1000 the plain integer.
std::string human_count(int64_t value);

}  // namespace bespoke::cli
