// bespoke-convert: ONNX -> canonical IR -> .bspk (and optionally a cleaned
// ONNX), printing a summary of the converted graph.
//
//   bespoke-convert model.onnx -o model.bspk [--input-shape name=1,3,224,224 ...]
//                   [--onnx-out clean.onnx] [--json]
//
// Exit status: 0 on success; 1 when the model cannot be converted or written;
// 2 for bad command-line arguments. Every error is one line on stderr.
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "ir/cost.h"
#include "onnx_import/onnx_importer.h"
#ifdef BESPOKE_HAVE_EXPORT
#include "export/bspk_writer.h"
#include "export/onnx_writer.h"
#endif

namespace {

using bespoke::ir::Graph;

constexpr int kExitConversion = 1;
constexpr int kExitUsage = 2;

// Raised for invalid arguments found after CLI11 parsing.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "name=1,3,224,224" -> (name, shape). The name is everything before the last '='.
std::pair<std::string, bespoke::ir::Shape> parse_input_shape(const std::string& spec) {
  const auto eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw UsageError("--input-shape '" + spec + "': expected NAME=D1,D2,... (e.g. input=1,3,224,224)");
  bespoke::ir::Shape shape;
  std::stringstream dims(spec.substr(eq + 1));
  std::string item;
  while (std::getline(dims, item, ',')) {
    size_t used = 0;
    long long d = 0;
    try {
      d = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || d <= 0)
      throw UsageError("--input-shape '" + spec + "': '" + item + "' is not a positive integer");
    shape.push_back(d);
  }
  return {spec.substr(0, eq), shape};
}

std::string metadata(const Graph& g, const std::string& key) {
  for (const auto& [k, v] : g.metadata)
    if (k == key) return v;
  return "";
}

std::string human(double v, const char* unit) {
  const char* prefixes[] = {"", " k", " M", " G", " T"};
  int i = 0;
  while (v >= 1000.0 && i < 4) {
    v /= 1000.0;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, i == 0 ? "%.0f%s%s" : "%.2f%s%s", v, prefixes[i], unit);
  return buf;
}

nlohmann::json io_json(const Graph& g, const std::vector<int>& ids) {
  nlohmann::json list = nlohmann::json::array();
  for (int id : ids) {
    const auto& v = g.values[static_cast<size_t>(id)];
    list.push_back({{"name", v.name}, {"shape", v.shape ? *v.shape : bespoke::ir::Shape{}}});
  }
  return list;
}

std::string io_text(const Graph& g, const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) {
    const auto& v = g.values[static_cast<size_t>(id)];
    out += (out.empty() ? "" : ", ") + v.name + " " + (v.shape ? bespoke::ir::shape_string(*v.shape) : "?");
  }
  return out;
}

struct Outputs {
  std::string bspk;
  std::string onnx;
};

void print_summary(const Graph& g, const std::string& source, const Outputs& written, bool json) {
  const bespoke::ir::GraphSummary s = bespoke::ir::summarize(g);
  if (json) {
    nlohmann::json j = {{"source", source},
                        {"graph", g.name},
                        {"onnx_opset", metadata(g, "onnx_opset")},
                        {"producer", metadata(g, "onnx_producer")},
                        {"inputs", io_json(g, g.inputs)},
                        {"outputs", io_json(g, g.outputs)},
                        {"nodes", g.nodes.size()},
                        {"op_counts", s.op_counts},
                        {"tensors", s.tensors},
                        {"constants", s.constants},
                        {"parameters", s.parameters},
                        {"flops", s.flops},
                        {"macs", s.macs},
                        {"weight_bytes", s.weight_bytes}};
    if (!written.bspk.empty()) j["bspk"] = written.bspk;
    if (!written.onnx.empty()) j["onnx"] = written.onnx;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "model:       " << g.name << " (" << source << ", ONNX opset " << metadata(g, "onnx_opset");
  const std::string producer = metadata(g, "onnx_producer");
  std::cout << (producer.empty() ? "" : ", " + producer) << ")\n";
  std::cout << "inputs:      " << io_text(g, g.inputs) << "\n";
  std::cout << "outputs:     " << io_text(g, g.outputs) << "\n";
  std::cout << "nodes:       " << g.nodes.size() << "  tensors: " << s.tensors << "  constants: " << s.constants
            << "\n";
  std::cout << "parameters:  " << s.parameters << " (" << human(static_cast<double>(s.weight_bytes), "B")
            << " of weights)\n";
  std::cout << "FLOPs:       " << human(static_cast<double>(s.flops), "FLOP") << " ("
            << human(static_cast<double>(s.macs), "MAC") << ")\n";
  std::cout << "ops:        ";
  const char* separator = " ";
  for (const auto& [op, count] : s.op_counts) {
    std::cout << separator << op << " " << count;
    separator = ", ";
  }
  std::cout << "\n";
  if (!written.bspk.empty()) std::cout << "wrote:       " << written.bspk << "\n";
  if (!written.onnx.empty()) std::cout << "wrote:       " << written.onnx << "\n";
}

int run(int argc, char** argv) {
  CLI::App app{"Converts an ONNX model into Bespoke's .bspk format (canonical operators, folded constants)",
               "bespoke-convert"};
  std::string model_path, bspk_path, onnx_path;
  std::vector<std::string> shape_specs;
  bespoke::onnx_import::ImportOptions options;
  bool json = false, no_check = false, external_data = false;
  app.add_option("model", model_path, "ONNX model to convert")->required();
  app.add_option("-o,--output", bspk_path, "Write the converted model as .bspk");
  app.add_option("--input-shape", shape_specs, "Static shape of an input, NAME=D1,D2,... (repeatable)");
  app.add_option("--default-dim", options.default_dim, "Value of any other dynamic dimension (default 1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--onnx-out", onnx_path, "Also write the converted model as ONNX (opset 17)");
  app.add_flag("--json", json, "Print the summary as JSON");
  app.add_flag("--no-check", no_check, "Skip the ONNX checker");
  app.add_flag("--external-data", external_data, "Store weights after the FlatBuffer in the .bspk");
  try {
    app.parse(argc, argv);
    for (const auto& spec : shape_specs) {
      auto [name, shape] = parse_input_shape(spec);
      if (!options.input_shapes.emplace(name, shape).second)
        throw UsageError("--input-shape given twice for '" + name + "'");
    }
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::cerr << "bespoke-convert: " << one_line(e.what()) << " (see --help)\n";
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "bespoke-convert: " << e.what() << "\n";
    return kExitUsage;
  }
  options.run_checker = !no_check;

  const Graph g = bespoke::onnx_import::load_onnx_for_inference(model_path, options);
  Outputs written;
#ifdef BESPOKE_HAVE_EXPORT
  if (!bspk_path.empty()) {
    bespoke::exporter::BspkWriteOptions write_options;
    write_options.external_data = external_data;
    bespoke::exporter::save_bspk(g, bspk_path, write_options);
    written.bspk = bspk_path;
  }
  if (!onnx_path.empty()) {
    bespoke::exporter::save_onnx(g, onnx_path);
    written.onnx = onnx_path;
  }
#else
  if (!bspk_path.empty() || !onnx_path.empty())
    throw std::runtime_error("this build of bespoke-convert has no model writers (optimizer/export)");
#endif
  print_summary(g, model_path, written, json);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bespoke-convert: error: " << one_line(e.what()) << "\n";
  } catch (...) {
    std::cerr << "bespoke-convert: error: unknown failure\n";
  }
  return kExitConversion;
}
