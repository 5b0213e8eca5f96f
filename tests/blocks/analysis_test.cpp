// Block analysis on hand-built graphs: dominators, cuts, units, spans, names,
// the unit blocks written for export, and the errors for unsupported graphs.
#include <doctest/doctest.h>

#include <algorithm>

#include "blocks/block_analysis.h"
#include "blocks/dominators.h"
#include "blocks/naming.h"
#include "blocks/unit_blocks.h"
#include "ir/cost.h"
#include "ir/passes.h"
#include "test_graphs.h"
#include "test_util.h"

namespace {

using namespace bespoke;
using namespace bespoke::blocks;
using namespace bespoke::test;

std::vector<std::string> cut_names(const ir::Graph& g, const BlockAnalysis& a) {
  std::vector<std::string> names;
  for (int v : a.cuts) names.push_back(g.values[static_cast<size_t>(v)].name);
  return names;
}

std::vector<std::string> node_names(const ir::Graph& g, const std::vector<int>& nodes) {
  std::vector<std::string> names;
  for (int n : nodes) names.push_back(g.nodes[static_cast<size_t>(n)].name);
  return names;
}

}  // namespace

TEST_CASE("immediate dominators of a diamond with a tail, and post-dominators on the reversed graph") {
  // 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 4; vertex 5 unreachable.
  const std::vector<std::vector<int>> preds = {{}, {0}, {0}, {1, 2}, {3}, {}};
  const std::vector<int> order = {0, 1, 2, 3, 4, 5};
  CHECK(immediate_dominators(preds, order, 0) == std::vector<int>{0, 0, 0, 0, 3, -1});
  const std::vector<std::vector<int>> succs = {{1, 2}, {3}, {3}, {4}, {}, {}};
  const std::vector<int> reversed(order.rbegin(), order.rend());
  CHECK(immediate_dominators(succs, reversed, 4) == std::vector<int>{3, 3, 3, 4, 4, -1});
  CHECK_THROWS_AS(immediate_dominators(preds, {1, 0, 2, 3, 4, 5}, 0), std::invalid_argument);  // not topological
}

TEST_CASE("a chain: every value is a cut, every node a unit") {
  const ir::Graph g = chain_graph();
  const BlockAnalysis a = analyze_blocks(g);
  CHECK(cut_names(g, a) == std::vector<std::string>{"x", "conv1_out", "relu1_out", "conv2_out"});
  REQUIRE(a.units.size() == 3);
  CHECK(a.span_count() == 6);
  CHECK(node_names(g, a.units[0].nodes) == std::vector<std::string>{"conv1"});
  CHECK(a.units[0].name == "conv1");
  CHECK(a.units[0].input_shape == ir::Shape{1, 3, 8, 8});
  CHECK(a.units[0].output_shape == ir::Shape{1, 4, 8, 8});
  CHECK(a.units[0].stride == 1.0);
  CHECK(a.units[2].stride == 2.0);
  // Cost: the sums of ir::node_cost.
  const ir::NodeCost c = ir::node_cost(g, 0);
  CHECK(a.units[0].params == 4 * 3 * 9 + 4);
  CHECK(a.units[0].params == c.params);
  CHECK(a.units[0].flops == c.flops);
  CHECK(a.units[0].macs == 4 * 8 * 8 * 3 * 9);
  CHECK(a.cut_index(g.find_value("relu1_out")) == 2);
  CHECK(a.cut_index(g.find_value("conv1.weight")) == -1);
}

TEST_CASE("a residual block is one unit: the skip path and the Add stay together") {
  const ir::Graph g = residual_graph();
  const BlockAnalysis a = analyze_blocks(g);
  CHECK(cut_names(g, a) == std::vector<std::string>{"x", "res/add_out", "res/relu_out_out"});
  REQUIRE(a.units.size() == 2);
  CHECK(node_names(g, a.units[0].nodes) == std::vector<std::string>{"res/conv1", "res/relu", "res/conv2", "res/add"});
  CHECK(a.units[0].name == "res");
  CHECK(a.units[1].name == "res/Relu");  // the block's final Relu, named apart
  CHECK(a.units[0].stride == 1.0);
}

TEST_CASE("two residual blocks after a stem: units, spans and their sums") {
  const ir::Graph g = two_residual_graph();
  const BlockAnalysis a = analyze_blocks(g);
  REQUIRE(a.cuts.size() == 6);
  REQUIRE(a.units.size() == 5);
  CHECK(a.span_count() == 15);
  CHECK(a.units[0].nodes.size() == 1);
  CHECK(a.units[1].nodes.size() == 4);
  CHECK(a.units[3].nodes.size() == 4);
  // A span merges consecutive units.
  const SubNetwork s = a.span(1, 5);
  CHECK(s.nodes.size() == 10);
  CHECK(s.input_value == a.cuts[1]);
  CHECK(s.output_value == a.cuts[5]);
  CHECK(s.params == a.units[1].params + a.units[2].params + a.units[3].params + a.units[4].params);
  CHECK(s.flops == a.units[1].flops + a.units[2].flops + a.units[3].flops + a.units[4].flops);
  CHECK(s.name == "res1..res2/Relu");
  CHECK(a.span(2, 3).nodes == a.units[2].nodes);
  CHECK_THROWS_AS(a.span(3, 3), BlockError);
  CHECK_THROWS_AS(a.span(0, 6), BlockError);
  CHECK_THROWS_AS(a.span(-1, 2), BlockError);
  // Every node in exactly one unit.
  std::vector<int> all;
  for (const auto& u : a.units) all.insert(all.end(), u.nodes.begin(), u.nodes.end());
  std::sort(all.begin(), all.end());
  CHECK(all.size() == g.nodes.size());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
}

TEST_CASE("inception-like parallel branches and their Concat form one unit") {
  const ir::Graph g = inception_graph();
  const BlockAnalysis a = analyze_blocks(g);
  CHECK(cut_names(g, a) == std::vector<std::string>{"x", "stem_out", "mixed/concat_out"});
  REQUIRE(a.units.size() == 2);
  CHECK(a.units[1].nodes.size() == 6);
  CHECK(a.units[1].name == "mixed");
  CHECK(a.units[0].stride == 2.0);
  CHECK(a.units[1].stride == 1.0);
}

TEST_CASE("a Split whose outputs rejoin is inside one unit; a node order that is not topological is fine") {
  test::GraphBuilder b;
  const int x = b.input("x", {1, 4, 2, 2});
  const auto halves = b.node("Split", {x}, 2, {{"axis", int_attr(1)}, {"split", test::ints_attr({2, 2})}}, "split");
  const int cat = b.op("Concat", {b.op("Relu", {halves[1]}, {}, "relu"), halves[0]}, {{"axis", int_attr(1)}}, "cat");
  b.output(b.op("Sigmoid", {cat}, {}, "sig"));
  finish(b.g);
  std::swap(b.g.nodes[0], b.g.nodes[1]);  // Relu before its producer
  const BlockAnalysis a = analyze_blocks(b.g);
  REQUIRE(a.units.size() == 2);
  CHECK(node_names(b.g, a.units[0].nodes) == std::vector<std::string>{"split", "relu", "cat"});
}

TEST_CASE("a node computing from constants only joins the unit reading it") {
  test::GraphBuilder b;
  const int x = b.input("x", {1, 2, 2, 2});
  const int r = b.op("Relu", {x}, {}, "relu");
  const int bias = b.op("Sigmoid", {b.floats("c", {1, 2, 1, 1}, {0.5f, -1.0f})}, {}, "const_sigmoid");
  b.output(b.op("Add", {r, bias}, {}, "add"));
  ir::infer_shapes(b.g);
  const BlockAnalysis a = analyze_blocks(b.g);
  REQUIRE(a.units.size() == 2);
  CHECK(a.detached == std::vector<bool>{false, true, false});
  CHECK(node_names(b.g, a.units[1].nodes) == std::vector<std::string>{"const_sigmoid", "add"});
}

TEST_CASE("unit blocks: nodes regrouped per unit, one TEACHER_SPAN block each") {
  ir::Graph g = two_residual_graph();
  // res1's Relu moved before its producer: the order is repaired per unit.
  ir::Graph shuffled = g;
  std::rotate(shuffled.nodes.begin() + 1, shuffled.nodes.begin() + 2, shuffled.nodes.begin() + 3);
  const BlockAnalysis a = assign_unit_blocks(shuffled);
  REQUIRE(shuffled.blocks.size() == 5);
  int expected_first = 0;
  for (size_t u = 0; u < a.units.size(); ++u) {
    const ir::Block& b = shuffled.blocks[u];
    CHECK(b.id == u);
    CHECK(b.name == a.units[u].name);
    CHECK(b.first_node == expected_first);
    CHECK(b.node_count == static_cast<int>(a.units[u].nodes.size()));
    CHECK(b.input_value == a.cuts[u]);
    CHECK(b.output_value == a.cuts[u + 1]);
    CHECK(b.provenance.kind == ir::ProvenanceKind::kTeacherSpan);
    CHECK(b.provenance.teacher_cut_begin == static_cast<int>(u));
    CHECK(b.provenance.teacher_cut_end == static_cast<int>(u + 1));
    for (int k = 0; k < b.node_count; ++k) CHECK(a.units[u].nodes[static_cast<size_t>(k)] == expected_first + k);
    expected_first += b.node_count;
  }
  CHECK(ir::validate(shuffled, true).empty());
}

TEST_CASE("names: module paths without PyTorch's repeated parents, fallbacks, uniqueness") {
  ir::Graph g;
  for (const char* name :
       {"/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/Add", "/features/features.3/conv/conv.0/conv.0.0/Conv",
        "/avgpool/GlobalAveragePool", "/fc/Gemm", "/Flatten", "p2o.Conv.4", "p2o.Add.9"}) {
    ir::Node n;
    n.name = name;
    n.op = "Relu";
    g.nodes.push_back(n);
  }
  CHECK(subnetwork_name(g, {0, 1}) == "layer1.0");
  CHECK(subnetwork_name(g, {2}) == "features.3/conv.0.0");
  CHECK(subnetwork_name(g, {3, 5, 4}) == "avgpool+fc");
  CHECK(subnetwork_name(g, {5}) == "Flatten");
  CHECK(subnetwork_name(g, {6}) == "p2o.Conv.4");
  CHECK(subnetwork_name(g, {6, 7}) == "p2o.Conv.4..p2o.Add.9");
  CHECK(unit_names(g, {{0, 1}, {1}, {6, 7}, {6, 7}}) ==
        std::vector<std::string>{"layer1.0", "layer1.0/Relu", "p2o.Conv.4..p2o.Add.9", "p2o.Conv.4..p2o.Add.9#2"});
  std::vector<std::string> names = {"a", "b", "a", "a#2", "a"};
  make_names_unique(names);
  CHECK(names == std::vector<std::string>{"a", "b", "a#3", "a#2", "a#4"});
}

TEST_CASE("graphs that are not single-input single-output are rejected with the reason") {
  test::GraphBuilder b;
  b.g.name = "two_in";
  const int x = b.input("x", {1, 2});
  const int y = b.input("y", {1, 2});
  b.output(b.op("Add", {x, y}));
  ir::infer_shapes(b.g);
  const std::string two_inputs = error_of([&] { analyze_blocks(b.g); });
  CHECK(two_inputs.find("graph 'two_in'") != std::string::npos);
  CHECK(two_inputs.find("exactly one input and one output, got 2 input(s) ('x', 'y')") != std::string::npos);

  test::GraphBuilder c;
  const int z = c.input("z", {1, 2});
  const int r = c.op("Relu", {z});
  c.output(r);
  c.output(c.op("Sigmoid", {z}));
  CHECK(error_of([&] { analyze_blocks(c.g); }).find("and 2 output(s)") != std::string::npos);

  test::GraphBuilder d;
  d.input("in", {1, 2});
  d.output(d.op("Relu", {d.floats("k", {1, 2}, {1.0f, 2.0f})}));
  CHECK(error_of([&] { analyze_blocks(d.g); }).find("output 'Relu_0_out' does not depend on input 'in'") !=
        std::string::npos);
}
