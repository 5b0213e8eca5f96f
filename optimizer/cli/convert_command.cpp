// The conversion command (cli/convert_command.h). Exit status: 0 on
// success; 1 when the model cannot be converted or written; 2 for bad
// command-line arguments. Every error is one line on stderr.
#include "cli/convert_command.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blocks/unit_blocks.h"
#include "cli/cli_support.h"
#include "export/bspk_writer.h"
#include "ir/cost.h"
#include "onnx_export/onnx_writer.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::cli {

namespace {

using ir::Graph;

struct ConvertOptions {
  std::string model;
  std::string bspk;
  std::string onnx;
  std::vector<std::string> input_shapes;
  int64_t default_batch = 1;
  bool json = false;
  bool verbose = false;
  bool no_check = false;
  bool external_data = false;
};

std::string metadata(const Graph& g, const std::string& key) {
  for (const auto& [k, v] : g.metadata)
    if (k == key) return v;
  return "";
}

nlohmann::json io_json(const Graph& g, const std::vector<int>& ids) {
  nlohmann::json list = nlohmann::json::array();
  for (int id : ids) {
    const auto& v = g.values[static_cast<size_t>(id)];
    list.push_back({{"name", v.name}, {"shape", v.shape ? *v.shape : ir::Shape{}}});
  }
  return list;
}

std::string io_text(const Graph& g, const std::vector<int>& ids) {
  std::string out;
  for (int id : ids) {
    const auto& v = g.values[static_cast<size_t>(id)];
    out += (out.empty() ? "" : ", ") + v.name + " " + (v.shape ? ir::shape_string(*v.shape) : "?");
  }
  return out;
}

struct Outputs {
  std::string bspk;
  std::string onnx;
};

void print_summary(const Graph& g, const std::string& source, const Outputs& written, bool json) {
  const ir::GraphSummary s = ir::summarize(g);
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
                        {"weight_bytes", s.weight_bytes},
                        {"blocks", g.blocks.size()}};
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
  std::cout << "parameters:  " << s.parameters << " (" << human_count(s.weight_bytes) << "B of weights)\n";
  std::cout << "FLOPs:       " << human_count(s.flops) << "FLOP (" << human_count(s.macs) << "MAC)\n";
  std::cout << "ops:        ";
  const char* separator = " ";
  for (const auto& [op, count] : s.op_counts) {
    std::cout << separator << op << " " << count;
    separator = ", ";
  }
  std::cout << "\n";
  std::cout << "blocks:      " << g.blocks.size() << (g.blocks.empty() ? "" : " (one per unit)") << "\n";
  if (!written.bspk.empty()) std::cout << "wrote:       " << written.bspk << "\n";
  if (!written.onnx.empty()) std::cout << "wrote:       " << written.onnx << "\n";
}

// The import's notes always (stderr: they are assumptions the user should
// know of), and with --verbose what the import and each pass did.
void report_import(const onnx_import::ImportReport& r, const ConvertOptions& o) {
  for (const std::string& note : r.notes) std::cerr << "note: " << note << "\n";
  if (!o.verbose) return;
  std::cerr << "import:     " << r.onnx_nodes << " ONNX nodes; shapes and constants: " << r.settle.to_string() << "\n"
            << "legalize:   " << r.onnx_nodes << " ONNX nodes -> " << r.canonical_nodes << " canonical nodes\n"
            << "clean-up:   " << r.optimize.to_string() << "\n";
}

// One block per unit when the model has one input and one output; a model
// the analysis cannot cut is written without blocks, with a note.
void assign_blocks(Graph& g, const ConvertOptions& o) {
  if (g.inputs.size() != 1 || g.outputs.size() != 1) {
    if (o.verbose)
      std::cerr << "blocks:     none (" << g.inputs.size() << " inputs, " << g.outputs.size()
                << " outputs: unit blocks need one of each)\n";
    return;
  }
  try {
    const blocks::BlockAnalysis a = blocks::assign_unit_blocks(g);
    if (o.verbose) std::cerr << "blocks:     " << a.units.size() << " units (" << a.cuts.size() << " cuts)\n";
  } catch (const blocks::BlockError& e) {
    std::cerr << "note: written without unit blocks: " << one_line(e.what()) << "\n";
  }
}

int run_convert(const ConvertOptions& o) {
  onnx_import::ImportOptions options;
  options.input_shapes = parse_input_shapes(o.input_shapes);
  options.default_batch = o.default_batch;
  options.run_checker = !o.no_check;
  onnx_import::ImportReport report;
  Graph g = onnx_import::load_onnx_for_inference(o.model, options, &report);
  report_import(report, o);
  assign_blocks(g, o);
  Outputs written;
  if (!o.bspk.empty()) {
    exporter::BspkWriteOptions write_options;
    write_options.external_data = o.external_data;
    exporter::save_bspk(g, o.bspk, write_options);
    written.bspk = o.bspk;
  }
  if (!o.onnx.empty()) {
    onnx_export::save_onnx(g, o.onnx);
    written.onnx = o.onnx;
  }
  print_summary(g, o.model, written, o.json);
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<ConvertOptions>();
  command.add_option("model", o->model, "ONNX model to convert")->required();
  command.add_option("-o,--output", o->bspk, "Write the converted model as .bspk");
  command.add_option("--input-shape", o->input_shapes,
                     "Static shape of an input, NAME=D1,D2,... (repeatable); needed for every input with a "
                     "dynamic dimension other than its batch");
  command.add_option("--default-batch", o->default_batch, "Value of a dynamic batch dimension (default 1)")
      ->check(CLI::PositiveNumber);
  command.add_option("--onnx-out", o->onnx, "Also write the converted model as ONNX (opset 17)");
  command.add_flag("--json", o->json, "Print the summary as JSON");
  command.add_flag("-v,--verbose", o->verbose, "Say on stderr what the import and each clean-up pass changed");
  command.add_flag("--no-check", o->no_check, "Skip the ONNX checker");
  command.add_flag("--external-data", o->external_data, "Store weights after the FlatBuffer in the .bspk");
  return [o] { return run_convert(*o); };
}

}  // namespace

Subcommand convert_command() {
  return {"convert", "Converts an ONNX model into Bespoke's .bspk format (canonical operators, folded constants)",
          configure};
}

}  // namespace bespoke::cli
