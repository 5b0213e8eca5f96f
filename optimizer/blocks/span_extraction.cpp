// extract_span() and pretrained_span_provenance() of surgery.h.
#include "blocks/graph_assembler.h"
#include "blocks/node_selection.h"
#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"

namespace bespoke::blocks {

ir::Provenance pretrained_span_provenance(const ir::Graph& source, const SubNetwork& span) {
  ir::Provenance p;
  p.kind = ir::ProvenanceKind::kPretrainedSpan;
  p.source_model = source.name;
  if (!span.nodes.empty()) {
    p.source_node_begin = source.nodes.at(static_cast<size_t>(span.nodes.front())).name;
    p.source_node_end = source.nodes.at(static_cast<size_t>(span.nodes.back())).name;
  }
  return p;
}

ir::Graph extract_span(const ir::Graph& g, int cut_a, int cut_b) {
  const BlockAnalysis a = analyze_blocks(g);
  const SubNetwork span = a.span(cut_a, cut_b);
  std::vector<bool> in_span(g.nodes.size(), false);
  for (int n : span.nodes) in_span[static_cast<size_t>(n)] = true;
  std::vector<bool> selected = in_span;
  add_detached_producers(g, a, selected);

  GraphAssembler out;
  out.graph.name = g.name + "/" + span.name;
  out.graph.metadata = g.metadata;
  const ir::Node& first = g.nodes[static_cast<size_t>(span.nodes.front())];
  const ir::Node& last = g.nodes[static_cast<size_t>(span.nodes.back())];
  out.graph.metadata.insert(out.graph.metadata.end(), {{"span.source_model", g.name},
                                                       {"span.cut_begin", std::to_string(cut_a)},
                                                       {"span.cut_end", std::to_string(cut_b)},
                                                       {"span.node_begin", first.name},
                                                       {"span.node_end", last.name}});
  PieceCopier copy(g, out, "", true);
  out.graph.inputs = {copy.value(span.input_value)};

  // Constant-only nodes from outside the span first: they read nothing the
  // span computes, and the first unit block takes them in.
  for (int n : unit_order(a))
    if (selected[static_cast<size_t>(n)] && !in_span[static_cast<size_t>(n)]) copy.copy_node(n);
  for (int u = cut_a; u < cut_b; ++u) {
    const SubNetwork& unit = a.units[static_cast<size_t>(u)];
    const int first_node = out.graph.blocks.empty() ? 0 : static_cast<int>(out.graph.nodes.size());
    for (int n : unit.nodes) copy.copy_node(n);
    ir::Block b;
    b.id = static_cast<uint32_t>(u);
    b.name = unit.name;
    b.first_node = first_node;
    b.node_count = static_cast<int>(out.graph.nodes.size()) - first_node;
    b.input_value = copy.value(unit.input_value);
    b.output_value = copy.value(unit.output_value);
    b.provenance = teacher_span_provenance(unit.cut_begin, unit.cut_end);
    out.graph.blocks.push_back(std::move(b));
  }
  out.graph.outputs = {copy.value(span.output_value)};
  return std::move(out.graph);
}

}  // namespace bespoke::blocks
