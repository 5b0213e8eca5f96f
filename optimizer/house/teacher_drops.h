// Drop alternatives: a teacher span [a, b] replaced by a shorter span [c, d]
// of the teacher itself, a <= c < d <= b, whose input shape equals the shape
// at cut a and whose output shape equals the shape at cut b (so no adapter is
// needed), or by the identity when the shapes at a and b are equal. They
// start from the teacher's own weights; distillation then adapts the kept
// units to stand in for the dropped ones.
#pragma once

#include <vector>

#include "blocks/block_analysis.h"
#include "house/alternative.h"
#include "house/student.h"  // identity_graph
#include "ir/graph.h"

namespace bespoke::house {

// Every drop of [a, b], shortest kept span first (identity first of all),
// then by c. Keys "s<a>-<b>/drop/<c>-<d>" and "s<a>-<b>/drop/identity".
std::vector<Alternative> teacher_drops(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int a, int b);

}  // namespace bespoke::house
