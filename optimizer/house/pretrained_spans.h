// Pretrained alternatives: spans of public pretrained models (ARCHITECTURE.md:
// "sub-networks of public pretrained models whose spatial reduction matches,
// joined to the teacher with light adapters").
//
// For a teacher span [a, b] with input [1, Ct, Ht, Wt] and spatial reduction
// s = Ht / Hout, every span [c, d] of a source model with the house's length
// bounds is considered:
//  1. its reduction at the source's own size must equal s, and its input and
//     output must be feature maps;
//  2. it must not fix a spatial size: Reshape (its target is a fixed shape),
//     FullyConnected, Transpose, or a Resize to fixed sizes are refused;
//  3. it is re-instantiated at the teacher's feature size: the span's input
//     becomes [1, Csource, Ht, Wt] and shapes are inferred again, which must
//     succeed and give the teacher's output height and width;
//  4. it is wrapped in channel adapters (blocks/adapters.h, 1x1 convolutions
//     initialized to pass channels through) where its channel counts differ
//     from the teacher's, by stitching it in place of the whole extracted
//     teacher span;
//  5. the wrapped alternative may have at most `max_params_ratio` times the
//     teacher span's parameters and must have fewer FLOPs than the span (an
//     alternative that is not cheaper has no place in the house).
// Each refusal is counted by reason. Of the candidates left, at most
// `max_per_span` are kept, spread evenly over their FLOPs (the cheapest, the
// dearest and evenly in between), so the search later sees a range of costs.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "house/alternative.h"
#include "ir/graph.h"

namespace bespoke::house {

struct PretrainedSource {
  std::string name;  // short model name used in keys (file stem)
  std::string path;
  ir::Graph graph;  // canonical, single input and output, shapes known
  blocks::BlockAnalysis analysis;
};

// Analyses `graph` as a source. Throws blocks::BlockError (not single-input
// single-output, ...) naming the model.
PretrainedSource make_pretrained_source(std::string name, std::string path, ir::Graph graph);

struct PretrainedOptions {
  int min_units = 1;
  int max_units = 3;
  double max_params_ratio = 2.0;
  int max_per_span = 3;
};

// Skip reasons -> counts, accumulated over calls.
using SkipCounts = std::map<std::string, int>;

std::vector<Alternative> pretrained_alternatives(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, int a,
                                                 int b, const PretrainedSource& source,
                                                 const PretrainedOptions& options, SkipCounts& skips);

}  // namespace bespoke::house
