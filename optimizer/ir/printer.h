// A graph as text for people: one line per graph input, node, output and
// block, every value with its dtype and shape, so that what an import or a
// pass did can be read and diffed (bespoke-opt inspect --ir).
//
//   graph 'tiny' (2 nodes, 6 values, 2 constants, 0 blocks)
//   input   x float32[1,3,8,8]
//   node 0  Conv 'conv1'  x float32[1,3,8,8], w const float32[4,3,3,3] -> y float32[1,4,8,8]  {pads=[1,1,1,1]}
//   node 1  Relu 'relu1'  y float32[1,4,8,8] -> z float32[1,4,8,8]
//   output  z float32[1,4,8,8]
//
// An unknown shape prints as "[?]", an absent optional input as "-", a small
// constant (up to kShownConstantElements elements) with its values
// ("const int64[2]=[1,-1]"): the Shape/Reshape chains of an export read
// naturally. Attributes are sorted by name; long lists are cut.
#pragma once

#include <cstddef>
#include <string>

#include "ir/graph.h"

namespace bespoke::ir {

inline constexpr size_t kShownConstantElements = 8;

// "x float32[1,3,8,8]", "w const float32[4,3,3,3]", "shape const int64[2]=[1,-1]".
std::string print_value(const Graph& g, int value);

// "Conv 'conv1'  x float32[...], ... -> y float32[...]  {pads=[1,1,1,1]}" (without the index).
std::string print_node(const Graph& g, const Node& n);

// The whole graph, as above; ends with a newline.
std::string print_graph(const Graph& g);

}  // namespace bespoke::ir
