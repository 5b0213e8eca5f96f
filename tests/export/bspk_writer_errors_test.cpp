// write_bspk rejects non-canonical graphs with a message naming the culprit.
#include <doctest/doctest.h>

#include "export/bspk_writer.h"
#include "graph_fixtures.h"

using namespace bespoke;

namespace {

// The message write_bspk throws for g ("" if it does not throw).
std::string write_error(const ir::Graph& g) {
  try {
    exporter::write_bspk(g);
  } catch (const exporter::ExportError& e) {
    return e.what();
  }
  return "";
}

ir::Node& node_named(ir::Graph& g, const std::string& name) {
  for (auto& n : g.nodes)
    if (n.name == name) return n;
  FAIL("no node " << name);
  return g.nodes[0];
}

}  // namespace

TEST_CASE("auxiliary and unknown ops are rejected, naming the node") {
  ir::Graph g = test::small_graph();
  node_named(g, "y_node").op = "Gemm";
  std::string e = write_error(g);
  CHECK(e.find("'y_node' (Gemm)") != std::string::npos);
  CHECK(e.find("not a canonical op") != std::string::npos);
}

TEST_CASE("attribute problems are rejected, naming the node and the attribute") {
  ir::Graph g = test::small_graph();
  ir::Node& conv = node_named(g, "conv_node");

  SUBCASE("missing") {
    conv.attrs.erase("pads");
    CHECK(write_error(g) == "node 0 'conv_node' (Conv): missing required attribute 'pads' (ints)");
  }
  SUBCASE("wrong type") {
    conv.attrs["group"] = 1.0;
    CHECK(write_error(g) == "node 0 'conv_node' (Conv): attribute 'group' is float, expected int");
  }
  SUBCASE("wrong length") {
    conv.attrs["pads"] = std::vector<int64_t>{1, 1};
    CHECK(write_error(g).find("attribute 'pads' must have 4 values, has 2") != std::string::npos);
  }
  SUBCASE("leftover ONNX attribute") {
    conv.attrs["auto_pad"] = std::string("NOTSET");
    CHECK(write_error(g).find("unexpected attribute 'auto_pad'") != std::string::npos);
  }
  SUBCASE("value outside int32") {
    conv.attrs["group"] = int64_t{1} << 33;
    CHECK(write_error(g).find("'group' = 8589934592 does not fit in int32") != std::string::npos);
  }
  SUBCASE("unknown fused activation") {
    conv.attrs["activation"] = std::string("Gelu");
    CHECK(write_error(g).find("attribute 'activation' is \"Gelu\", expected one of \"Relu\", \"Clip\"") !=
          std::string::npos);
  }
  SUBCASE("Clip activation without bounds") {
    conv.attrs["activation"] = std::string("Clip");
    CHECK(write_error(g).find("missing required attribute 'act_min'") != std::string::npos);
  }
  SUBCASE("bounds without an activation") {
    conv.attrs.erase("activation");
    conv.attrs["act_min"] = 0.0;
    CHECK(write_error(g).find("'act_min' / 'act_max' given without 'activation'") != std::string::npos);
  }
}

TEST_CASE("structural problems are rejected") {
  ir::Graph g = test::small_graph();

  SUBCASE("non-constant weight") {
    ir::Value w = g.values[static_cast<size_t>(g.nodes[0].inputs[1])];
    w.constant = nullptr;
    w.name = "w_runtime";
    g.nodes[0].inputs[1] = g.add_value(w);
    g.inputs.push_back(g.nodes[0].inputs[1]);
    CHECK(write_error(g).find("weight input 1 (value 9 'w_runtime') must be constant") != std::string::npos);
  }
  SUBCASE("constant MatMul operand") {
    test::GraphMaker m;
    const int a = m.input("a", {4, 3});
    m.output(m.node("MatMul", "product", {a, m.weight("b", {3, 2})}, {4, 2}));
    CHECK(write_error(m.g).find("node 0 'product_node' (MatMul): input 1 (value 1 'b') must be computed at run time") !=
          std::string::npos);
  }
  SUBCASE("unknown shape") {
    g.values[static_cast<size_t>(g.nodes[1].outputs[0])].shape.reset();
    CHECK(write_error(g) == "value 4 'gap': shape is unknown (run shape inference before export)");
  }
  SUBCASE("dimension outside int32") {
    g.values[static_cast<size_t>(g.inputs[0])].shape = ir::Shape{1, 3, int64_t{1} << 31, 8};
    CHECK(write_error(g).find("dimension 2147483648") != std::string::npos);
  }
  SUBCASE("bool values have no element type") {
    g.values[static_cast<size_t>(g.inputs[0])].dtype = ir::DType::kBool;
    CHECK(write_error(g).find("'x': dtype bool has no .bspk element type") != std::string::npos);
  }
  SUBCASE("constant bytes disagree with the shape") {
    auto data = std::make_shared<ir::TensorData>(*g.values[1].constant);
    data->bytes.pop_back();
    g.values[1].constant = data;
    CHECK(write_error(g).find("bytes, shape and dtype need") != std::string::npos);
  }
  SUBCASE("missing required input") {
    g.nodes[0].inputs[1] = -1;
    CHECK(write_error(g).find("required input 1 is absent") != std::string::npos);
  }
  SUBCASE("wrong arity") {
    g.nodes[1].inputs.push_back(g.nodes[1].inputs[0]);
    CHECK(write_error(g).find("(GlobalAveragePool): has 2 inputs, expected 1") != std::string::npos);
  }
  SUBCASE("nodes out of execution order") {
    std::swap(g.nodes[0], g.nodes[1]);
    CHECK(write_error(g).find("nodes must be in execution order") != std::string::npos);
  }
  SUBCASE("value index out of range") {
    g.nodes[2].inputs[0] = 99;
    CHECK(write_error(g).find("input 0 refers to unknown value 99") != std::string::npos);
  }
  SUBCASE("Split sizes must match the outputs") {
    ir::Graph e = test::every_op_graph();
    node_named(e, "split_node").attrs["split"] = std::vector<int64_t>{1, 1, 2};
    CHECK(write_error(e).find("'split' has 3 sizes for 2 outputs") != std::string::npos);
  }
}

TEST_CASE("blocks must partition the nodes and not use reserved keys") {
  ir::Graph g = test::every_op_graph();
  test::add_blocks_of_every_kind(g);
  REQUIRE(write_error(g) == "");

  SUBCASE("gap") {
    g.blocks[2].first_node += 1;
    CHECK(write_error(g).find("block 2 'block2': starts at node") != std::string::npos);
  }
  SUBCASE("not covering every node") {
    g.blocks.pop_back();
    CHECK(write_error(g).find("blocks must partition the nodes") != std::string::npos);
  }
  SUBCASE("empty block") {
    g.blocks[1].node_count = 0;
    CHECK(write_error(g).find("expected at least 1") != std::string::npos);
  }
  SUBCASE("reserved provenance key") {
    g.blocks[0].provenance.parameters.emplace_back(exporter::kDefaultBlockMarker, "1");
    CHECK(write_error(g).find("is reserved") != std::string::npos);
  }
}
