// load_onnx_for_inference(): the whole ONNX -> canonical IR pipeline.
#include "ir/passes.h"
#include "onnx_import/import_messages.h"
#include "onnx_import/legalize_rules.h"
#include "onnx_import/onnx_importer.h"

namespace bespoke::onnx_import {

ir::Graph load_onnx_for_inference(const std::string& path, const ImportOptions& options, ImportReport* report) {
  ImportReport local;
  if (!report) report = &local;
  ir::Graph g = import_onnx(path, options, report);
  const std::string prefix = path + ": ";
  try {
    ir::topological_sort(g);
    report->settle = ir::settle_shapes_and_constants(g);
    ir::eliminate_dead_code(g);
    report->onnx_nodes = g.nodes.size();
  } catch (const ir::GraphError& e) {
    // Usually an operator the passes do not know: name every such operator too.
    const std::string unsupported = detail::unsupported_operators(g);
    throw ImportError(prefix + (unsupported.empty() ? "" : unsupported + "; ") +
                      "shape inference failed: " + detail::one_line(e.what()));
  }
  legalize(g);
  report->canonical_nodes = g.nodes.size();
  try {
    report->optimize = ir::optimize_for_inference(g);
  } catch (const ir::GraphError& e) {
    throw ImportError(prefix + "graph optimization failed: " + detail::one_line(e.what()));
  }
  auto issues = ir::validate(g, /*require_canonical=*/true);
  // An output no operator produces (a folded constant, a passed-through
  // input) has no place in a model file: say so here, in ONNX terms.
  for (int output : g.outputs) {
    const ir::Value& v = g.values[static_cast<size_t>(output)];
    if (g.producer(output) >= 0) continue;
    issues.push_back("graph output '" + v.name + "' " +
                     (v.constant ? "is a constant: the model computes nothing for it"
                                 : "is a graph input passed through unchanged"));
  }
  if (!issues.empty()) throw ImportError(prefix + "the converted graph is not valid: " + detail::join_problems(issues));
  return g;
}

}  // namespace bespoke::onnx_import
