#include "cli/cli_support.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/subcommand.h"
#include "export/bspk_reader.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::cli {

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::map<std::string, ir::Shape> parse_input_shapes(const std::vector<std::string>& specs) {
  std::map<std::string, ir::Shape> shapes;
  for (const std::string& spec : specs) {
    const auto eq = spec.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw UsageError("--input-shape '" + spec + "': expected NAME=D1,D2,... (e.g. x=1,3,224,224)");
    ir::Shape shape;
    std::stringstream dims(spec.substr(eq + 1));
    for (std::string item; std::getline(dims, item, ',');) {
      size_t used = 0;
      long long d = 0;
      try {
        d = std::stoll(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (item.empty() || used != item.size() || d <= 0)
        throw UsageError("--input-shape '" + spec + "': '" + item + "' is not a positive integer");
      shape.push_back(d);
    }
    if (!shapes.emplace(spec.substr(0, eq), shape).second)
      throw UsageError("--input-shape given twice for '" + spec.substr(0, eq) + "'");
  }
  return shapes;
}

namespace {

bool has_bspk_identifier(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  char header[8] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && std::string(header + 4, 4) == "BSPK";
}

}  // namespace

LoadedModel load_model(const std::string& path, const std::map<std::string, ir::Shape>& input_shapes) {
  LoadedModel m;
  if (has_bspk_identifier(path)) {
    if (!input_shapes.empty())
      throw UsageError("--input-shape applies to ONNX models only; the shapes of '" + path + "' are fixed");
    m.graph = exporter::load_bspk(path);
    m.format = "bspk";
    return m;
  }
  onnx_import::ImportOptions options;
  options.input_shapes = input_shapes;
  onnx_import::ImportReport report;
  m.graph = onnx_import::load_onnx_for_inference(path, options, &report);
  for (const std::string& note : report.notes) std::cerr << "note: " << note << "\n";
  m.format = "onnx";
  return m;
}

std::string human_count(int64_t value) {
  const char* prefixes[] = {"", " k", " M", " G", " T", " P"};
  double v = static_cast<double>(value);
  int i = 0;
  while ((v >= 1000.0 || v <= -1000.0) && i < 5) {
    v /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, i == 0 ? "%.0f%s" : "%.2f%s", v, prefixes[i]);
  return buf;
}

}  // namespace bespoke::cli
