// A student: the teacher with some of a house's alternatives stitched in
// place of the spans they replace (ARCHITECTURE.md section 1). The one way
// every later step builds one: latency probes (latency/), candidates of the
// search (search/), the fine-tuned winner (pipeline/). No LibTorch.
//
// The teacher must carry one block per unit (blocks::assign_unit_blocks), so
// that the stitched graph's blocks are the kept teacher units (id = unit
// index) and one block per non-identity alternative, named by its key and
// carrying the provenance stored in its .bspk file (which teacher span it
// replaces, with what, from which model).
#pragma once

#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "house/house_store.h"
#include "ir/graph.h"

namespace bespoke::house {

// The identity at cut `cut`: a graph whose one input is its output, shaped
// like the teacher's feature there (what a drop keeping no unit becomes, and
// what the house stores no file for).
ir::Graph identity_graph(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int cut);

// The graph of a done alternative: its .bspk file, or the identity for a
// file-less drop. Throws HouseError naming the file and key.
ir::Graph load_alternative_graph(const HouseStore& store, const AlternativeRecord& alternative,
                                 const ir::Graph& teacher, const blocks::BlockAnalysis& analysis);

// The teacher with the alternatives `keys` stitched in (any order; spans
// must not overlap). Throws HouseError for an unknown or failed key and
// blocks::BlockError for overlapping spans.
ir::Graph stitch_student(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, const HouseStore& store,
                         const std::vector<std::string>& keys);

}  // namespace bespoke::house
