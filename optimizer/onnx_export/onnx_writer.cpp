#include "onnx_export/onnx_writer.h"

#include <fstream>

#include "export/graph_checks.h"
#include "onnx_export/onnx_graph_builder.h"
#include "onnx_export/onnx_node_emitter.h"

namespace bespoke::onnx_export {

using exporter::ExportError;

std::string write_onnx(const ir::Graph& g, int opset) {
  if (opset < 13 || opset > 17)
    throw ExportError("ONNX opset " + std::to_string(opset) + " is not supported by the ONNX writer (13..17)");
  exporter::check_values(g);
  for (size_t i = 0; i < g.nodes.size(); ++i) exporter::check_node(g, i);
  exporter::check_execution_order(g);

  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("bespoke");
  model.set_producer_version("0.2.0");
  auto* op_import = model.add_opset_import();
  op_import->set_domain("");
  op_import->set_version(opset);
  for (const auto& [key, value] : g.metadata) {
    auto* prop = model.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }

  onnx::GraphProto* graph = model.mutable_graph();
  graph->set_name(g.name.empty() ? "bespoke" : g.name);
  OnnxGraphBuilder builder(graph);

  // Reserve every IR name first, so helper values never take one.
  std::vector<std::string> names;
  names.reserve(g.values.size());
  for (size_t v = 0; v < g.values.size(); ++v)
    names.push_back(
        builder.unique_value_name(g.values[v].name.empty() ? "value_" + std::to_string(v) : g.values[v].name));

  std::vector<bool> used(g.values.size(), false), produced(g.values.size(), false), is_output(g.values.size(), false);
  for (const ir::Node& n : g.nodes) {
    for (int v : n.inputs)
      if (v >= 0) used[static_cast<size_t>(v)] = true;
    for (int v : n.outputs) used[static_cast<size_t>(v)] = produced[static_cast<size_t>(v)] = true;
  }
  for (int v : g.outputs) used[static_cast<size_t>(v)] = is_output[static_cast<size_t>(v)] = true;

  for (int v : g.inputs) {
    const ir::Value& value = g.values[static_cast<size_t>(v)];
    OnnxGraphBuilder::fill_value_info(graph->add_input(), names[static_cast<size_t>(v)], value.dtype, *value.shape);
  }
  for (size_t v = 0; v < g.values.size(); ++v)
    if (used[v] && g.values[v].is_constant()) builder.add_initializer(names[v], *g.values[v].constant);
  for (size_t i = 0; i < g.nodes.size(); ++i) emit_onnx_node(builder, g, i, names, opset);
  for (int v : g.outputs) {
    const ir::Value& value = g.values[static_cast<size_t>(v)];
    OnnxGraphBuilder::fill_value_info(graph->add_output(), names[static_cast<size_t>(v)], value.dtype, *value.shape);
  }
  for (size_t v = 0; v < g.values.size(); ++v)
    if (produced[v] && !is_output[v])
      OnnxGraphBuilder::fill_value_info(graph->add_value_info(), names[v], g.values[v].dtype, *g.values[v].shape);

  std::string bytes;
  if (!model.SerializeToString(&bytes))
    throw ExportError("ONNX serialization failed (model larger than protobuf's 2 GiB limit?)");
  return bytes;
}

void save_onnx(const ir::Graph& g, const std::string& path, int opset) {
  std::string bytes = write_onnx(g, opset);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw ExportError("cannot open '" + path + "' for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw ExportError("failed writing " + std::to_string(bytes.size()) + " bytes to '" + path + "'");
}

}  // namespace bespoke::onnx_export
