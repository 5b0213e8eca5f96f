// write_onnx: the result passes the ONNX checker, ONNX's own shape inference
// reproduces every IR value's shape (an independent check of the attribute
// mapping), value names are kept and the expansions have the expected nodes.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "graph_fixtures.h"
#include "onnx_export/onnx_writer.h"

using namespace bespoke;

namespace {

onnx::ModelProto parse(const std::string& bytes) {
  onnx::ModelProto model;
  REQUIRE(model.ParseFromString(bytes));
  return model;
}

std::map<std::string, int> count_node_types(const onnx::ModelProto& m) {
  std::map<std::string, int> counts;
  for (const auto& n : m.graph().node()) ++counts[n.op_type()];
  return counts;
}

const onnx::NodeProto& node_named(const onnx::ModelProto& m, const std::string& name) {
  for (const auto& n : m.graph().node())
    if (n.name() == name) return n;
  FAIL("no ONNX node named " << name);
  return m.graph().node(0);
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& key) {
  for (const auto& a : n.attribute())
    if (a.name() == key) return &a;
  return nullptr;
}

// Drops our value_info, runs strict ONNX shape inference and checks that every
// non-constant IR value gets exactly its IR shape.
void check_inferred_shapes(onnx::ModelProto model, const ir::Graph& g) {
  model.mutable_graph()->clear_value_info();
  onnx::ShapeInferenceOptions options(true, 1, false);
  onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  std::map<std::string, std::vector<int64_t>> inferred;
  auto collect = [&](const onnx::ValueInfoProto& vi) {
    std::vector<int64_t> dims;
    for (const auto& d : vi.type().tensor_type().shape().dim()) dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    inferred[vi.name()] = dims;
  };
  for (const auto& vi : model.graph().value_info()) collect(vi);
  for (const auto& vi : model.graph().output()) collect(vi);
  for (const auto& v : g.values) {
    if (v.is_constant() || std::find(g.inputs.begin(), g.inputs.end(), g.find_value(v.name)) != g.inputs.end())
      continue;
    CAPTURE(v.name);
    REQUIRE(inferred.count(v.name) == 1);
    CHECK(inferred[v.name] == *v.shape);
  }
}

}  // namespace

TEST_CASE("every canonical op exports to a checked ONNX model whose inferred shapes match the IR") {
  const ir::Graph g = test::every_op_graph();
  for (int opset = 13; opset <= 17; ++opset) {
    CAPTURE(opset);
    onnx::ModelProto model = parse(onnx_export::write_onnx(g, opset));
    CHECK_NOTHROW(onnx::checker::check_model(model));
    CHECK(model.opset_import(0).version() == opset);
    check_inferred_shapes(model, g);
  }
}

TEST_CASE("node counts by type show each expansion") {
  const ir::Graph g = test::every_op_graph();
  std::map<std::string, int> at17 = {{"Conv", 2},
                                     {"ConvTranspose", 1},
                                     {"MaxPool", 1},
                                     {"AveragePool", 1},
                                     {"GlobalAveragePool", 1},
                                     {"Relu", 4},
                                     {"Clip", 4},
                                     {"Add", 3},
                                     {"Sub", 1},
                                     {"Mul", 2},
                                     {"Div", 1},
                                     {"LeakyRelu", 1},
                                     {"Sigmoid", 2},
                                     {"HardSigmoid", 1},
                                     {"HardSwish", 1},
                                     {"Tanh", 1},
                                     {"Reshape", 4},
                                     {"Transpose", 3},
                                     {"Resize", 2},
                                     {"Pad", 1},
                                     {"Slice", 1},
                                     {"Split", 1},
                                     {"Concat", 1},
                                     {"BatchNormalization", 1},
                                     {"ReduceMean", 1},
                                     {"Gemm", 1},
                                     {"MatMul", 4},
                                     {"Softmax", 1},
                                     {"Sqrt", 1}};
  CHECK(count_node_types(parse(onnx_export::write_onnx(g, 17))) == at17);
  // Before opset 14 HardSwish becomes HardSigmoid(1/6, 1/2) * x.
  std::map<std::string, int> at13 = at17;
  at13.erase("HardSwish");
  at13["HardSigmoid"] = 2;
  at13["Mul"] = 3;
  CHECK(count_node_types(parse(onnx_export::write_onnx(g, 13))) == at13);
}

TEST_CASE("value names, graph inputs/outputs and attributes are kept") {
  const ir::Graph g = test::every_op_graph();
  onnx::ModelProto model = parse(onnx_export::write_onnx(g, 17));
  const onnx::GraphProto& graph = model.graph();
  REQUIRE(graph.input_size() == 1);
  CHECK(graph.input(0).name() == "x");
  REQUIRE(graph.output_size() == 1);
  CHECK(graph.output(0).name() == "probs");
  CHECK(graph.name() == "every_op");
  CHECK(model.metadata_props_size() == 2);

  std::set<std::string> produced, initializers;
  for (const auto& n : graph.node())
    for (const auto& o : n.output()) produced.insert(o);
  for (const auto& t : graph.initializer()) initializers.insert(t.name());
  for (const auto& n : g.nodes)
    for (int v : n.outputs) CHECK(produced.count(g.values[static_cast<size_t>(v)].name) == 1);
  CHECK(initializers.count("conv1.w") == 1);
  CHECK(initializers.count("fc2.w_T") == 1);  // MatMul takes W^T

  const onnx::NodeProto& conv = node_named(model, "dwconv_node");
  CHECK(conv.output(0) != "dwconv");  // the fused Clip writes the IR output
  REQUIRE(attribute(conv, "group") != nullptr);
  CHECK(attribute(conv, "group")->i() == 8);
  CHECK(attribute(conv, "pads")->ints_size() == 4);
  CHECK(node_named(model, "dwconv_node/clip").output(0) == "dwconv");
  const onnx::NodeProto& gemm = node_named(model, "fc1_node");
  CHECK(gemm.op_type() == "Gemm");
  CHECK(attribute(gemm, "transB")->i() == 1);
  CHECK(node_named(model, "upsample_node").input_size() == 3);   // X, roi "", scales
  CHECK(node_named(model, "resize_to_node").input_size() == 4);  // X, "", "", sizes
}

TEST_CASE("what ONNX cannot express is rejected with a message") {
  ir::Graph g = test::every_op_graph();
  CHECK_THROWS_WITH_AS(onnx_export::write_onnx(g, 12), doctest::Contains("opset 12 is not supported"),
                       exporter::ExportError);
  CHECK_THROWS_WITH_AS(onnx_export::write_onnx(g, 18), doctest::Contains("opset 18"), exporter::ExportError);
  for (auto& n : g.nodes)
    if (n.op == "AveragePool") n.attrs["dilations"] = std::vector<int64_t>{2, 2};
  CHECK_THROWS_WITH_AS(onnx_export::write_onnx(g, 17),
                       doctest::Contains("'avgpool_node' (AveragePool): AveragePool with dilations"),
                       exporter::ExportError);
  ir::Graph aux = test::small_graph();
  aux.nodes[1].op = "Flatten";
  CHECK_THROWS_WITH_AS(onnx_export::write_onnx(aux, 17), doctest::Contains("'Flatten' is not a canonical op"),
                       exporter::ExportError);
}

TEST_CASE("save_onnx writes a file the ONNX checker accepts by path") {
  std::string path = std::string(BESPOKE_BINARY_DIR) + "/export_onnx_writer_test.onnx";
  onnx_export::save_onnx(test::small_graph(), path, 17);
  CHECK_NOTHROW(onnx::checker::check_model(path));
  std::remove(path.c_str());
}
