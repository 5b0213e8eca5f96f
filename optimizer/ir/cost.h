// Static cost model of a graph: multiply-accumulates, FLOPs and parameters per
// node, and a whole-graph summary (bespoke-convert --summary, search budgets).
//
// Conventions:
//  - MACs count the multiply-accumulates of Conv, ConvTranspose,
//    FullyConnected, Gemm and MatMul; FLOPs = 2 * MACs for them, plus one FLOP
//    per output element for a bias and for a fused activation.
//  - Elementwise ops (activations, Add/Sub/Mul/Div, Clip, ...) count one FLOP
//    per output element (transcendentals are not weighted); BatchNormalization
//    two (scale and shift); Softmax three (exp, sum, divide).
//  - Pools: one FLOP per window element per output (kernel area x outputs);
//    GlobalAveragePool and ReduceMean: one per input element; Resize linear:
//    four per output element (bilinear taps), nearest zero.
//  - Data movement (Reshape, Transpose, Concat, Slice, Split, Pad,
//    ChannelShuffle, Gather, ...) and unknown ops cost 0.
//  - Nodes with unknown shapes cost 0 (run infer_shapes first).
//  - params: elements of the node's float32 constant inputs.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ir/graph.h"

namespace bespoke::ir {

struct NodeCost {
  int64_t macs = 0;
  int64_t flops = 0;
  int64_t params = 0;
};

NodeCost node_cost(const Graph& g, int node);

struct GraphSummary {
  std::map<std::string, int> op_counts;
  size_t tensors = 0;       // values referenced by nodes or graph inputs / outputs
  size_t constants = 0;     // distinct constant values among them
  int64_t parameters = 0;   // elements of distinct float32 constants (shared weights once)
  int64_t flops = 0;        // sum over nodes
  int64_t macs = 0;         // sum over nodes
  size_t weight_bytes = 0;  // bytes of distinct constants, any dtype
};

GraphSummary summarize(const Graph& g);

}  // namespace bespoke::ir
