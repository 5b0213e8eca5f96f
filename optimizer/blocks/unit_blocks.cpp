#include "blocks/unit_blocks.h"

#include <algorithm>
#include <numeric>

namespace bespoke::blocks {

ir::Provenance teacher_span_provenance(int cut_begin, int cut_end) {
  ir::Provenance p;
  p.kind = ir::ProvenanceKind::kTeacherSpan;
  p.teacher_cut_begin = cut_begin;
  p.teacher_cut_end = cut_end;
  return p;
}

BlockAnalysis assign_unit_blocks(ir::Graph& g) {
  BlockAnalysis a = analyze_blocks(g);
  // Unit lists are topological; concatenated in unit order they are a valid
  // execution order in which each unit is contiguous.
  std::vector<int> order;
  order.reserve(g.nodes.size());
  for (const SubNetwork& unit : a.units) order.insert(order.end(), unit.nodes.begin(), unit.nodes.end());
  std::vector<int> identity(g.nodes.size());
  std::iota(identity.begin(), identity.end(), 0);
  if (order != identity) {
    std::vector<ir::Node> reordered;
    reordered.reserve(g.nodes.size());
    for (int n : order) reordered.push_back(std::move(g.nodes[static_cast<size_t>(n)]));
    g.nodes = std::move(reordered);
    a = analyze_blocks(g);
  }
  g.blocks.clear();
  int first = 0;
  for (size_t u = 0; u < a.units.size(); ++u) {
    const SubNetwork& unit = a.units[u];
    ir::Block b;
    b.id = static_cast<uint32_t>(u);
    b.name = unit.name;
    b.first_node = first;
    b.node_count = static_cast<int>(unit.nodes.size());
    b.input_value = unit.input_value;
    b.output_value = unit.output_value;
    b.provenance = teacher_span_provenance(unit.cut_begin, unit.cut_end);
    first += b.node_count;
    g.blocks.push_back(std::move(b));
  }
  return a;
}

}  // namespace bespoke::blocks
