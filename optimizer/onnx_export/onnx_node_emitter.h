// Internal to the ONNX writer: emits the ONNX node(s) for one canonical node
// (expansions listed in onnx_writer.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "onnx_export/onnx_graph_builder.h"

namespace bespoke::onnx_export {

// value_names[v] is the ONNX name of IR value v. Throws ExportError naming
// the node for attributes it cannot express at `opset`.
void emit_onnx_node(OnnxGraphBuilder& builder, const ir::Graph& g, size_t index,
                    const std::vector<std::string>& value_names, int opset);

}  // namespace bespoke::onnx_export
