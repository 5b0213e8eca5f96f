#include "house/student.h"

#include "blocks/surgery.h"
#include "export/bspk_reader.h"

namespace bespoke::house {

ir::Graph identity_graph(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int cut) {
  const int value = analysis.cuts.at(static_cast<size_t>(cut));
  ir::Graph g;
  g.name = teacher.name + "/identity";
  ir::Value v;
  v.name = teacher.values[static_cast<size_t>(value)].name;
  v.shape = teacher.shape_of(value);
  const int id = g.add_value(v);
  g.inputs = {id};
  g.outputs = {id};
  return g;
}

ir::Graph load_alternative_graph(const HouseStore& store, const AlternativeRecord& alternative,
                                 const ir::Graph& teacher, const blocks::BlockAnalysis& analysis) {
  if (alternative.status != ItemStatus::kDone)
    throw HouseError("alternative '" + alternative.key + "' failed in the house build and cannot be used");
  if (alternative.file.empty()) return identity_graph(teacher, analysis, alternative.cut_begin);
  try {
    return exporter::load_bspk(store.path(alternative.file));
  } catch (const std::exception& e) {
    throw HouseError(store.path(alternative.file) + ": cannot read alternative '" + alternative.key + "': " + e.what());
  }
}

ir::Graph stitch_student(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, const HouseStore& store,
                         const std::vector<std::string>& keys) {
  std::vector<blocks::Replacement> replacements;
  for (const std::string& key : keys) {
    const std::optional<AlternativeRecord> record = store.find(key);
    if (!record) throw HouseError("the house in " + store.dir() + " has no alternative '" + key + "'");
    blocks::Replacement r;
    r.cut_begin = record->cut_begin;
    r.cut_end = record->cut_end;
    r.name = key;
    r.graph = load_alternative_graph(store, *record, teacher, analysis);
    if (!r.graph.blocks.empty()) r.provenance = r.graph.blocks.front().provenance;
    replacements.push_back(std::move(r));
  }
  return blocks::stitch(teacher, replacements);
}

}  // namespace bespoke::house
