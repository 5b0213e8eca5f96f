// bespoke-opt inspect: the single-input single-output units of a model (block
// analysis, optimizer/blocks/block_analysis.h) as a table or one JSON object.
//
//   bespoke-opt inspect model.onnx|model.bspk [--input-shape x=1,3,224,224] [--json | --ir]
//
// For a .bspk the blocks stored in the file (with provenance) are listed too.
// --ir prints the graph instead (ir/printer.h).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blocks/block_analysis.h"
#include "cli/cli_support.h"
#include "cli/subcommand.h"
#include "ir/cost.h"
#include "ir/printer.h"

namespace bespoke::cli {

namespace {

using nlohmann::json;

struct InspectOptions {
  std::string model;
  std::vector<std::string> input_shapes;
  bool json = false;
  bool ir = false;
};

std::string shape_text(const std::optional<ir::Shape>& s) { return s ? ir::shape_string(*s) : "[?]"; }

std::string stride_text(const std::optional<double>& stride) {
  if (!stride) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", *stride);
  return buf;
}

const char* provenance_name(ir::ProvenanceKind kind) {
  switch (kind) {
    case ir::ProvenanceKind::kTeacherSpan: return "teacher_span";
    case ir::ProvenanceKind::kPretrainedSpan: return "pretrained_span";
    case ir::ProvenanceKind::kPruned: return "pruned";
    case ir::ProvenanceKind::kLowRank: return "low_rank";
    case ir::ProvenanceKind::kOther: return "other";
  }
  return "unknown";
}

json value_json(const ir::Graph& g, int v) {
  const ir::Value& value = g.values[static_cast<size_t>(v)];
  return {{"name", value.name}, {"shape", value.shape ? json(*value.shape) : json(nullptr)}};
}

json provenance_json(const ir::Provenance& p) {
  json parameters = json::object();
  for (const auto& [k, v] : p.parameters) parameters[k] = v;
  return {{"kind", provenance_name(p.kind)},
          {"teacher_cut_begin", p.teacher_cut_begin},
          {"teacher_cut_end", p.teacher_cut_end},
          {"source_model", p.source_model},
          {"source_node_begin", p.source_node_begin},
          {"source_node_end", p.source_node_end},
          {"parameters", parameters},
          {"distill_loss", p.distill_loss}};
}

json report_json(const InspectOptions& o, const LoadedModel& m, const blocks::BlockAnalysis& a) {
  const ir::Graph& g = m.graph;
  const ir::GraphSummary summary = ir::summarize(g);
  json cuts = json::array();
  for (size_t i = 0; i < a.cuts.size(); ++i) {
    json cut = value_json(g, a.cuts[i]);
    cut["index"] = i;
    cuts.push_back(cut);
  }
  json units = json::array();
  for (size_t u = 0; u < a.units.size(); ++u) {
    const blocks::SubNetwork& unit = a.units[u];
    units.push_back({{"index", u},
                     {"name", unit.name},
                     {"cut_begin", unit.cut_begin},
                     {"cut_end", unit.cut_end},
                     {"input", value_json(g, unit.input_value)},
                     {"output", value_json(g, unit.output_value)},
                     {"stride", unit.stride ? json(*unit.stride) : json(nullptr)},
                     {"params", unit.params},
                     {"flops", unit.flops},
                     {"macs", unit.macs},
                     {"nodes", unit.nodes.size()}});
  }
  json stored = json::array();
  for (const ir::Block& b : g.blocks)
    stored.push_back({{"id", b.id},
                      {"name", b.name},
                      {"first_node", b.first_node},
                      {"node_count", b.node_count},
                      {"provenance", provenance_json(b.provenance)}});
  return {{"source", o.model},
          {"format", m.format},
          {"graph", g.name},
          {"inputs", json::array({value_json(g, g.inputs[0])})},
          {"outputs", json::array({value_json(g, g.outputs[0])})},
          {"nodes", g.nodes.size()},
          {"parameters", summary.parameters},
          {"flops", summary.flops},
          {"macs", summary.macs},
          {"cut_count", a.cuts.size()},
          {"unit_count", a.units.size()},
          {"span_count", a.span_count()},
          {"cuts", cuts},
          {"units", units},
          {"stored_blocks", stored}};
}

void print_table(const InspectOptions& o, const LoadedModel& m, const blocks::BlockAnalysis& a) {
  const ir::Graph& g = m.graph;
  const ir::GraphSummary summary = ir::summarize(g);
  auto io = [&](int v) {
    return g.values[static_cast<size_t>(v)].name + " " + shape_text(g.values[static_cast<size_t>(v)].shape);
  };
  std::cout << "model:  " << g.name << " (" << o.model << ", " << m.format << ")\n"
            << "input:  " << io(g.inputs[0]) << "\n"
            << "output: " << io(g.outputs[0]) << "\n"
            << "nodes: " << g.nodes.size() << "  parameters: " << human_count(summary.parameters)
            << "  FLOPs: " << human_count(summary.flops) << "\n"
            << "cuts: " << a.cuts.size() << "  units: " << a.units.size() << "  spans: " << a.span_count() << "\n\n";

  size_t name_width = 4, shape_width = 14;
  std::vector<std::string> shapes;
  for (const auto& unit : a.units) {
    shapes.push_back(shape_text(unit.input_shape) + " -> " + shape_text(unit.output_shape));
    name_width = std::max(name_width, unit.name.size());
    shape_width = std::max(shape_width, shapes.back().size());
  }
  char line[64];
  std::ostringstream out;
  auto pad = [](const std::string& s, size_t width) {
    return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
  };
  out << "unit  " << pad("name", name_width) << "  " << pad("input -> output", shape_width)
      << "  stride      params       FLOPs  nodes\n";
  for (size_t u = 0; u < a.units.size(); ++u) {
    const auto& unit = a.units[u];
    std::snprintf(line, sizeof line, "%4zu  ", u);
    out << line << pad(unit.name, name_width) << "  " << pad(shapes[u], shape_width);
    std::snprintf(line, sizeof line, "  %6s  %10s  %10s  %5zu\n", stride_text(unit.stride).c_str(),
                  human_count(unit.params).c_str(), human_count(unit.flops).c_str(), unit.nodes.size());
    out << line;
  }
  if (!g.blocks.empty()) {
    out << "\nstored blocks: " << g.blocks.size() << "\n";
    for (const ir::Block& b : g.blocks) {
      out << "  block " << b.id << " '" << b.name << "': nodes " << b.first_node << ".."
          << b.first_node + b.node_count - 1 << ", " << provenance_name(b.provenance.kind) << " ["
          << b.provenance.teacher_cut_begin << ", " << b.provenance.teacher_cut_end << "]";
      if (!b.provenance.source_model.empty()) out << " from " << b.provenance.source_model;
      for (const auto& [k, v] : b.provenance.parameters) out << ", " << k << "=" << v;
      out << "\n";
    }
  }
  std::cout << out.str();
}

int run_inspect(const InspectOptions& o) {
  if (o.ir && o.json) throw UsageError("--ir prints the graph as text; it does not combine with --json");
  const LoadedModel m = load_model(o.model, parse_input_shapes(o.input_shapes));
  if (o.ir) {
    std::cout << ir::print_graph(m.graph);
    return kExitSuccess;
  }
  const blocks::BlockAnalysis a = blocks::analyze_blocks(m.graph);
  if (o.json)
    std::cout << report_json(o, m, a).dump(2) << "\n";
  else
    print_table(o, m, a);
  return kExitSuccess;
}

Action configure_inspect(CLI::App& command) {
  auto options = std::make_shared<InspectOptions>();
  command.add_option("model", options->model, "Model to analyse (.onnx or .bspk)")->required();
  command.add_option("--input-shape", options->input_shapes,
                     "Static shape of an ONNX input with dynamic dimensions, NAME=D1,D2,... (repeatable)");
  command.add_flag("--json", options->json, "Print the analysis as one JSON object");
  command.add_flag("--ir", options->ir,
                   "Print the graph itself instead, one node a line with shapes (any model, not only single-input "
                   "single-output ones)");
  return [options] { return run_inspect(*options); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"inspect", "Lists a model's single-input single-output units (cuts, spans, shapes, stride, params, FLOPs)",
     configure_inspect});

}  // namespace

}  // namespace bespoke::cli
