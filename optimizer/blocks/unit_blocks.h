// Block descriptors for export: one ir::Block per unit of a teacher, so the
// .bspk writer stores them and the runtime's profiler times every unit.
#pragma once

#include "blocks/block_analysis.h"
#include "ir/graph.h"

namespace bespoke::blocks {

// Analyses g, reorders its nodes (stably, by unit) so every unit is a
// contiguous node range, and replaces g.blocks by one block per unit: id =
// unit index, name = unit name, provenance TEACHER_SPAN with
// teacher_cut_begin/end = the unit's cut indices. Returns the analysis of the
// reordered graph. Throws BlockError as analyze_blocks does.
BlockAnalysis assign_unit_blocks(ir::Graph& g);

// The provenance of the teacher's own span [a, b].
ir::Provenance teacher_span_provenance(int cut_begin, int cut_end);

}  // namespace bespoke::blocks
