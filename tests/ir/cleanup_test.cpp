// remove_identity, eliminate_dead_code, topological_sort and block upkeep.
#include <doctest/doctest.h>

#include <algorithm>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

using Ops = std::vector<std::string>;

namespace {

std::string error_of(Graph& g) {
  try {
    topological_sort(g);
  } catch (const GraphError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("remove_identity: interior Identity and Dropout disappear, readers are rewired") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int relu = b.op("Relu", {x});
  const int id = b.op("Identity", {relu});
  const auto drop = b.node("Dropout", {id}, 2);  // unused mask
  const int y = b.op("Sigmoid", {drop[0]});
  b.output(y);
  CHECK(remove_identity(b.g) == 2);
  REQUIRE(op_sequence(b.g) == Ops{"Relu", "Sigmoid"});
  CHECK(b.g.nodes[1].inputs == std::vector<int>{relu});
}

TEST_CASE("remove_identity keeps graph output names") {
  SUBCASE("the producer writes the output value") {
    GraphBuilder b;
    const int x = b.input("x", {1, 4});
    const int relu = b.op("Relu", {x});
    const int side = b.op("Sigmoid", {relu});
    const int out = b.op("Identity", {relu});
    b.output(out);
    b.output(side);
    CHECK(remove_identity(b.g) == 1);
    REQUIRE(op_sequence(b.g) == Ops{"Relu", "Sigmoid"});
    CHECK(b.g.nodes[0].outputs == std::vector<int>{out});
    CHECK(b.g.nodes[1].inputs == std::vector<int>{out});
    CHECK(b.g.outputs == std::vector<int>{out, side});
  }
  SUBCASE("a constant behind the Identity becomes the output's constant") {
    GraphBuilder b;
    const int c = b.floats("c", {2}, {1, 2});
    const int out = b.op("Identity", {c});
    b.output(out);
    CHECK(remove_identity(b.g) == 1);
    CHECK(b.g.nodes.empty());
    CHECK(constant_floats(b.g.values[static_cast<size_t>(out)]) == std::vector<float>{1, 2});
  }
  SUBCASE("graph input passed straight to a graph output is kept") {
    GraphBuilder b;
    const int x = b.input("x", {1, 4});
    b.output(b.op("Identity", {x}));
    CHECK(remove_identity(b.g) == 0);
  }
  SUBCASE("a Dropout whose mask is read is kept") {
    GraphBuilder b;
    const int x = b.input("x", {1, 4});
    const auto drop = b.node("Dropout", {x}, 2);
    b.output(drop[0]);
    b.output(drop[1]);
    CHECK(remove_identity(b.g) == 0);
  }
}

TEST_CASE("eliminate_dead_code drops unread nodes and unreferenced values, renumbering ids") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  b.floats("unused_weight", {3}, {1, 2, 3});
  const int dead = b.op("Relu", {x}, {}, "dead");
  b.op("Sigmoid", {dead}, {}, "dead2");
  const int y = b.op("Tanh", {x}, {}, "live");
  b.output(y);
  CHECK(eliminate_dead_code(b.g) == 2 + 3);  // two nodes; the weight and two intermediate values
  REQUIRE(op_sequence(b.g) == Ops{"Tanh"});
  CHECK(b.g.values.size() == 2);
  CHECK(b.g.values[static_cast<size_t>(b.g.outputs[0])].name == "live_out");
  CHECK(b.g.values[static_cast<size_t>(b.g.nodes[0].inputs[0])].name == "x");
  CHECK(eliminate_dead_code(b.g) == 0);
}

TEST_CASE("topological_sort: stable, fixes out-of-order nodes, reports cycles by name") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int a = b.op("Relu", {x}, {}, "a");
  const int c = b.op("Sigmoid", {x}, {}, "c");
  b.output(b.op("Add", {a, c}, {}, "sum"));
  CHECK(topological_sort(b.g) == 0);

  std::swap(b.g.nodes[0], b.g.nodes[2]);  // sum, c, a
  CHECK(topological_sort(b.g) == 3);      // every node changed place
  std::vector<std::string> names;
  for (const auto& n : b.g.nodes) names.push_back(n.name);
  CHECK(names == std::vector<std::string>{"c", "a", "sum"});  // ready nodes keep their relative order

  GraphBuilder cyclic;
  const int in = cyclic.input("in", {1});
  Value loop;
  loop.name = "loop";
  const int back = cyclic.g.add_value(loop);
  const int p = cyclic.op("Add", {in, back}, {}, "p");
  const int q = cyclic.op("Relu", {p}, {}, "q");
  cyclic.g.nodes[1].outputs = {back};
  cyclic.output(q);
  const std::string error = error_of(cyclic.g);
  CHECK(error.find("cycle") != std::string::npos);
  CHECK(error.find("node 'p' (Add)") != std::string::npos);
  CHECK(error.find("node 'q' (Relu)") != std::string::npos);
}

TEST_CASE("blocks follow node removal and reordering") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int a = b.op("Relu", {x}, {}, "a");
  const int id = b.op("Identity", {a}, {}, "id");
  const int c = b.op("Sigmoid", {id}, {}, "c");
  const int d = b.op("Tanh", {c}, {}, "d");
  b.output(d);
  Block first;
  first.id = 1;
  first.first_node = 0;
  first.node_count = 3;  // a, id, c
  first.input_value = x;
  first.output_value = c;
  Block second;
  second.id = 2;
  second.first_node = 3;
  second.node_count = 1;  // d
  second.input_value = c;
  second.output_value = d;
  b.g.blocks = {first, second};

  CHECK(remove_identity(b.g) == 1);
  REQUIRE(b.g.blocks.size() == 2);
  CHECK(b.g.blocks[0].first_node == 0);
  CHECK(b.g.blocks[0].node_count == 2);
  CHECK(b.g.blocks[1].first_node == 2);
  CHECK(b.g.blocks[1].node_count == 1);

  // Reverse the order: every block stays contiguous, so all survive at their new place.
  std::reverse(b.g.nodes.begin(), b.g.nodes.end());
  b.g.blocks[0].first_node = 1;
  b.g.blocks[1].first_node = 0;
  topological_sort(b.g);
  REQUIRE(b.g.blocks.size() == 2);
  CHECK(b.g.blocks[0].first_node == 0);
  CHECK(b.g.blocks[1].first_node == 2);
}
