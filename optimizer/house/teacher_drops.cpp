#include "house/teacher_drops.h"

#include <algorithm>

#include "blocks/surgery.h"

namespace bespoke::house {

namespace {

const ir::Shape& cut_shape(const ir::Graph& g, const blocks::BlockAnalysis& analysis, int cut) {
  return g.shape_of(analysis.cuts.at(static_cast<size_t>(cut)));
}

}  // namespace

std::vector<Alternative> teacher_drops(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int a, int b) {
  const ir::Shape& in = cut_shape(teacher, analysis, a);
  const ir::Shape& out = cut_shape(teacher, analysis, b);
  std::vector<Alternative> drops;
  auto base = [&](const std::string& detail) {
    Alternative alt;
    alt.key = span_key(a, b) + "/drop/" + detail;
    alt.kind = AlternativeKind::kDrop;
    alt.cut_begin = a;
    alt.cut_end = b;
    alt.origin_model = teacher.name;
    alt.provenance.kind = ir::ProvenanceKind::kTeacherSpan;
    alt.provenance.source_model = teacher.name;
    alt.provenance.parameters.emplace_back("alternative", "drop");
    return alt;
  };
  if (in == out) {
    Alternative alt = base("identity");
    alt.graph = identity_graph(teacher, analysis, a);
    alt.provenance.parameters.emplace_back("kept", "none");
    drops.push_back(std::move(alt));
  }
  for (int length = 1; length < b - a; ++length) {
    for (int c = a; c + length <= b; ++c) {
      const int d = c + length;
      if (cut_shape(teacher, analysis, c) != in || cut_shape(teacher, analysis, d) != out) continue;
      Alternative alt = base(std::to_string(c) + "-" + std::to_string(d));
      alt.graph = blocks::extract_span(teacher, c, d);
      const blocks::SubNetwork kept = analysis.span(c, d);
      alt.origin_node_begin = teacher.nodes[static_cast<size_t>(kept.nodes.front())].name;
      alt.origin_node_end = teacher.nodes[static_cast<size_t>(kept.nodes.back())].name;
      alt.provenance.source_node_begin = alt.origin_node_begin;
      alt.provenance.source_node_end = alt.origin_node_end;
      alt.provenance.parameters.emplace_back("kept", std::to_string(c) + "-" + std::to_string(d));
      drops.push_back(std::move(alt));
    }
  }
  return drops;
}

}  // namespace bespoke::house
