// ir/printer.h: the text form of a graph, checked line by line against what
// a reader of the graph expects to see.
#include <doctest/doctest.h>

#include "ir/printer.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

TEST_CASE("print_graph: one line per input, node, output and block, with dtypes and shapes") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  const int conv = b.op("Conv", {x, b.floats("w", {4, 3, 3, 3}, std::vector<float>(108)), -1},
                        {{"pads", ints_attr({1, 1, 1, 1})}, {"activation", str_attr("Relu")}}, "conv1");
  const int flat = b.op("Reshape", {conv, b.ints("to", {1, -1})}, {}, "flatten");
  const int scaled = b.op("Mul", {flat, b.scalar("half", 0.5f)}, {}, "scale");
  b.output(scaled);
  b.g.values[static_cast<size_t>(conv)].shape = Shape{1, 4, 8, 8};
  b.g.values[static_cast<size_t>(flat)].shape = Shape{1, 256};  // "scale" keeps an unknown shape
  Block block;
  block.id = 3;
  block.name = "stem";
  block.first_node = 0;
  block.node_count = 2;
  block.input_value = x;
  block.output_value = flat;
  b.g.blocks.push_back(block);
  b.g.name = "tiny";

  CHECK(print_graph(b.g) ==
        "graph 'tiny' (3 nodes, 7 values, 3 constants, 1 blocks)\n"
        "input   x float32[1,3,8,8]\n"
        "node 0  Conv 'conv1'  x float32[1,3,8,8], w const float32[4,3,3,3], - -> conv1_out float32[1,4,8,8]"
        "  {activation=\"Relu\", pads=[1,1,1,1]}\n"
        "node 1  Reshape 'flatten'  conv1_out float32[1,4,8,8], to const int64[2]=[1,-1]"
        " -> flatten_out float32[1,256]\n"
        "node 2  Mul 'scale'  flatten_out float32[1,256], half const float32[]=[0.5] -> scale_out float32[?]\n"
        "output  scale_out float32[?]\n"
        "block 3  'stem'  nodes 0..1  x float32[1,3,8,8] -> flatten_out float32[1,256]\n");
}

TEST_CASE("print_node cuts long attribute lists and print_value survives bad ids") {
  GraphBuilder b;
  const int x = b.input("x", {1, 40});
  std::vector<int64_t> many(40);
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<int64_t>(i);
  b.op("Transpose", {x}, {{"perm", ints_attr(many)}, {"alpha", floats_attr({0.25})}}, "t");
  CHECK(print_node(b.g, b.g.nodes[0]) ==
        "Transpose 't'  x float32[1,40] -> t_out float32[?]  {alpha=[0.25], "
        "perm=[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,...] (40 values)}");
  CHECK(print_value(b.g, 99) == "<bad value id 99>");
  CHECK(print_value(b.g, -1) == "-");
}
