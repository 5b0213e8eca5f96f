// Block analysis: the single-input single-output (SISO) sub-networks of a
// graph, the raw material of the Bespoke method (ARCHITECTURE.md section 1).
//
// A *cut* is a value through which every path from the graph input to the
// graph output passes. Found on the DAG whose vertices are the non-constant
// values and the nodes (edges value -> reading node -> produced values;
// constants are ignored, they are not data flow) with two analyses:
//  * dominators from the input: the cuts are the values on the dominator-tree
//    path from the output up to the input;
//  * post-dominators from the output: the same values, on the post-dominator
//    path from the input down to the output (checked to agree).
// Both use the Cooper-Harvey-Kennedy algorithm (dominators.h). A node belongs
// to the *unit* between its nearest dominating cut and its nearest
// post-dominating cut, which are consecutive cuts. The graph input and output
// are the first and last cuts, so units partition the nodes: a plain conv is a
// unit, a residual block with its skip path and Add is one unit, an
// inception-like block with parallel branches and their Concat is one unit.
// Every span [a, b], a < b, of cut indices covers the consecutive units
// a..b-1 and is itself a SISO sub-network.
//
// Special nodes (none after load_onnx_for_inference, which folds and prunes):
//  * a node not depending on the input (fed by constants only) joins the
//    first unit that reads it; surgery copies it wherever it is read;
//  * a node whose results never reach the output joins the unit of its
//    nearest dominating cut.
//
// Only single-input single-output graphs are analysed: with several inputs
// "every path from the input" has no single start, and with several outputs
// (detection heads) no span past the first branch point would have one
// output. Such graphs are rejected with a BlockError naming the counts; cut a
// multi-output model down to one output first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blocks/block_error.h"
#include "ir/graph.h"

namespace bespoke::blocks {

// A unit or a span [cut_begin, cut_end] of consecutive units.
struct SubNetwork {
  int cut_begin = 0;  // index into BlockAnalysis::cuts
  int cut_end = 0;
  int input_value = -1;  // value ids in the analysed graph
  int output_value = -1;
  std::optional<ir::Shape> input_shape;  // nullopt when shape inference did not reach it
  std::optional<ir::Shape> output_shape;
  // Spatial reduction input H / output H when both are rank-4 NCHW (2 for a
  // strided block, 0.5 for an upsampling one); nullopt otherwise.
  std::optional<double> stride;
  std::vector<int> nodes;  // node indices in a topological order
  int64_t params = 0;      // sums of ir::node_cost over the nodes
  int64_t flops = 0;
  int64_t macs = 0;
  std::string name;  // short, from the node names ("layer1.0", "features.3", "p2o.Conv.4..p2o.Add.9")
};

struct BlockAnalysis {
  std::vector<int> cuts;          // value ids in path order: graph input first, graph output last
  std::vector<SubNetwork> units;  // units[i] lies between cuts[i] and cuts[i + 1]
  std::vector<int> node_unit;     // per node index: its unit
  std::vector<bool> detached;     // per node index: does not depend on the graph input

  // Number of spans [a, b] with 0 <= a < b < cuts.size(): units * (units + 1) / 2.
  size_t span_count() const;
  // The span from cut a to cut b (units a..b-1 merged). Throws BlockError unless 0 <= a < b < cuts.size().
  SubNetwork span(int a, int b) const;
  // Index of `value` in cuts, or -1.
  int cut_index(int value) const;
};

// Throws BlockError for a graph without exactly one input and one output, one
// whose output does not depend on its input, or a cyclic graph.
BlockAnalysis analyze_blocks(const ir::Graph& g);

}  // namespace bespoke::blocks
