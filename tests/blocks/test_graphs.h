// Small canonical graphs with known block structure, for the block analysis
// and surgery tests. Every builder runs shape inference, so the graphs are
// valid canonical graphs that the .bspk writer and the runtime accept.
#pragma once

#include <cstdint>
#include <string>

#include "support/graph_builder.h"

namespace bespoke::test {

// Canonical Conv (explicit kernel/strides/dilations/pads/group, bias) with
// seeded weights; "same" padding for odd kernels.
int conv(GraphBuilder& b, int x, int64_t cin, int64_t cout, int64_t kernel, int64_t stride, const std::string& name,
         bool relu = false);

// A residual basic block named `name`: conv-relu-conv + skip, Add, Relu.
int residual_block(GraphBuilder& b, int x, int64_t channels, const std::string& name);

// x[1,3,8,8] -> conv1 -> relu1 -> conv2 (stride 2) -> y.     cuts: 4, units: 3
ir::Graph chain_graph();
// x[1,4,8,8] -> block "res" -> y.                             cuts: 3, units: 2
ir::Graph residual_graph();
// x[1,4,8,8] -> stem conv -> block "res1" -> block "res2".    cuts: 6, units: 5
ir::Graph two_residual_graph();
// x[1,3,8,8] -> stem conv -> three branches (1x1; 1x1+3x3; maxpool+1x1) -> Concat.
//                                                             cuts: 3, units: 2
ir::Graph inception_graph();

// Runs shape inference and checks the result is a valid canonical graph.
void finish(ir::Graph& g);

}  // namespace bespoke::test
