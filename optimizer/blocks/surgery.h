// Sub-network surgery: cut a span out of a graph as a standalone model, and
// stitch replacement sub-networks into a host graph in place of spans.
//
// Cut indices always refer to analyze_blocks(host).cuts (block_analysis.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blocks/adapters.h"
#include "blocks/block_analysis.h"
#include "ir/graph.h"

namespace bespoke::blocks {

// The span [cut_a, cut_b] of g as a standalone single-input single-output
// graph: input = the value at cut a (no longer constant-fed: a plain input),
// output = the value at cut b, only the span's nodes (plus any constant-only
// node they read) in execution order, the constants they use (shared data),
// every value and node name as in g. Its blocks are the units of the span
// (TEACHER_SPAN, cut indices of g). Name "<g.name>/<span name>"; g's metadata
// plus span.source_model / span.cut_begin / span.cut_end /
// span.node_begin / span.node_end. Passes ir::validate when g does and can be
// written with the export API. Throws BlockError for a bad span.
ir::Graph extract_span(const ir::Graph& g, int cut_a, int cut_b);

// Provenance for a span of a pretrained (non-teacher) model used as a
// replacement: PRETRAINED_SPAN, source_model = source.name, source node
// names = the span's first and last node.
ir::Provenance pretrained_span_provenance(const ir::Graph& source, const SubNetwork& span);

struct Replacement {
  int cut_begin = 0;  // the host span [cut_begin, cut_end] this replaces
  int cut_end = 0;
  ir::Graph graph;  // single input, single output, known shapes; its own blocks are ignored
  // Stored on the result's block; teacher_cut_begin/end are overwritten with
  // cut_begin/cut_end. Adapters add parameters "adapter_in" / "adapter_out".
  ir::Provenance provenance;
  std::string name;                  // block name; empty = graph.name
  std::optional<uint32_t> block_id;  // empty = host unit count + index of this replacement
  AdapterOptions adapters;           // used where channel counts differ
};

// The host with every replacement's span replaced by its graph, each
// replacement wrapped in channel adapters where its input/output channel
// count differs from the host's at the seam. Host units outside the
// replacements keep their nodes, value and node names; the host's value at
// each seam keeps its name (the replacement's last node writes it).
// Replacement names that clash with the host's get the prefix "<block name>/".
// Result blocks partition the nodes: one per kept host unit (id = unit index,
// TEACHER_SPAN) and one per replacement (adapters included); a replacement
// with no operators at all (the identity: dropping the span) gets no block.
// Throws BlockError for overlapping spans, bad cut indices, non-SISO
// replacements, shapes that differ beyond the channel axis (naming both), or
// an invalid result.
ir::Graph stitch(const ir::Graph& host, const std::vector<Replacement>& replacements);

}  // namespace bespoke::blocks
