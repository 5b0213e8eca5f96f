// legalize(): ONNX dialect -> canonical ops, one rule at a time. Expected
// attributes are worked out by hand from the ONNX operator definitions.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "ir/op_set.h"
#include "ir/passes.h"
#include "onnx_import/onnx_importer.h"
#include "onnx_model_builder.h"

using bespoke::ir::Graph;
using bespoke::ir::Node;
using bespoke::ir::Shape;
using bespoke::onnx_import::ImportError;
using bespoke::test::OnnxModelBuilder;
using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

namespace {

// Import + shape inference / folding + legalize, without the later
// optimizations, so each rule's output is seen as it is.
Graph legalized(const OnnxModelBuilder& b) {
  const std::string bytes = b.bytes();
  Graph g = bespoke::onnx_import::import_onnx_bytes(bytes.data(), bytes.size(), {}, "test.onnx");
  bespoke::ir::topological_sort(g);
  while (bespoke::ir::infer_shapes(g) + bespoke::ir::fold_constants(g) > 0) {
  }
  bespoke::onnx_import::legalize(g);
  return g;
}

std::string legalize_error(const OnnxModelBuilder& b) {
  try {
    legalized(b);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}

std::vector<const Node*> nodes_of(const Graph& g, const std::string& op) {
  std::vector<const Node*> out;
  for (const auto& n : g.nodes)
    if (n.op == op) out.push_back(&n);
  return out;
}

const Node& only(const Graph& g, const std::string& op) {
  const auto found = nodes_of(g, op);
  REQUIRE_MESSAGE(found.size() == 1, "expected one " << op << " node, found " << found.size());
  return *found[0];
}

Shape shape_of(const Graph& g, const std::string& name) {
  const int id = g.find_value(name);
  REQUIRE(id >= 0);
  return g.shape_of(id);
}

const bespoke::ir::TensorData& constant_input(const Graph& g, const Node& n, size_t i) {
  const auto& v = g.values.at(static_cast<size_t>(n.inputs.at(i)));
  REQUIRE(v.is_constant());
  return *v.constant;
}

void check_all_canonical(const Graph& g) {
  for (const auto& n : g.nodes) CHECK_MESSAGE(bespoke::ir::is_canonical_op(n.op), n.op << " is not canonical");
}

}  // namespace

TEST_CASE("Gemm -> FullyConnected: alpha folded into W [N,K], beta into the bias") {
  for (int trans_b : {0, 1}) {
    CAPTURE(trans_b);
    OnnxModelBuilder b(13);
    b.input("a", {2, 3}).output("y");
    // B as stored: [K,N] = [3,4] when transB=0, [N,K] = [4,3] when transB=1.
    b.ramp_initializer("B", trans_b ? Ints{4, 3} : Ints{3, 4});
    b.initializer("C", {4}, {1, 2, 3, 4});
    auto& gemm = b.node("Gemm", {"a", "B", "C"}, {"y"}, "fc");
    OnnxModelBuilder::set_int(gemm, "transB", trans_b);
    OnnxModelBuilder::set_float(gemm, "alpha", 2.0f);
    OnnxModelBuilder::set_float(gemm, "beta", 0.5f);
    const Graph g = legalized(b);
    REQUIRE(g.nodes.size() == 1);
    const Node& fc = only(g, "FullyConnected");
    const auto& w = constant_input(g, fc, 1);
    REQUIRE(w.shape == Shape{4, 3});
    for (int n = 0; n < 4; ++n)
      for (int k = 0; k < 3; ++k) {
        const int stored = trans_b ? n * 3 + k : k * 4 + n;  // index of B[k][n] in the stored layout
        CHECK(w.as<float>()[n * 3 + k] == doctest::Approx(2.0 * 0.01 * (stored + 1)));
      }
    const auto& bias = constant_input(g, fc, 2);
    CHECK(bias.shape == Shape{4});
    CHECK(bias.float_at(3) == doctest::Approx(2.0));
    CHECK(shape_of(g, "y") == Shape{2, 4});
  }
}

TEST_CASE("Gemm with a full [M,N] C and transA: Transpose + FullyConnected + Add") {
  OnnxModelBuilder b(13);
  b.input("a", {3, 2}).output("y");
  b.ramp_initializer("B", {3, 4});
  b.ramp_initializer("C", {2, 4});
  OnnxModelBuilder::set_int(b.node("Gemm", {"a", "B", "C"}, {"y"}, "fc"), "transA", 1);
  const Graph g = legalized(b);
  check_all_canonical(g);
  CHECK(only(g, "Transpose").get_ints("perm") == Ints{1, 0});
  only(g, "FullyConnected");
  const Node& add = only(g, "Add");
  CHECK(constant_input(g, add, 1).shape == Shape{2, 4});
  CHECK(shape_of(g, "y") == Shape{2, 4});
}

TEST_CASE("MatMul with a constant 2-D B -> FullyConnected with W = B^T") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 5, 3}).output("y");
  b.ramp_initializer("B", {3, 2});
  b.node("MatMul", {"x", "B"}, {"y"}, "proj");
  const Graph g = legalized(b);
  CHECK(nodes_of(g, "MatMul").empty());
  const Node& fc = only(g, "FullyConnected");
  const auto& w = constant_input(g, fc, 1);
  REQUIRE(w.shape == Shape{2, 3});
  CHECK(w.as<float>()[1 * 3 + 2] == doctest::Approx(0.06f));  // W[1][2] = B[2][1], element 5 of B
  CHECK(shape_of(g, "y") == Shape{1, 5, 2});
}

TEST_CASE("MatMul of two run-time tensors stays MatMul: batch dims broadcast, ranks 2..4") {
  OnnxModelBuilder b(13);
  b.input("q", {2, 1, 4, 3}).input("k", {3, 3, 5}).input("a", {4, 3}).input("c", {3, 2}).output("y").output("z");
  b.node("MatMul", {"q", "k"}, {"y"}, "attention");
  b.node("MatMul", {"a", "c"}, {"z"}, "plain");
  const Graph g = legalized(b);
  check_all_canonical(g);
  CHECK(nodes_of(g, "FullyConnected").empty());
  REQUIRE(nodes_of(g, "MatMul").size() == 2);
  const Node& attention = *nodes_of(g, "MatMul")[0];
  CHECK(attention.name == "attention");
  CHECK(attention.attrs.empty());
  CHECK(shape_of(g, "y") == Shape{2, 3, 4, 5});
  CHECK(shape_of(g, "z") == Shape{4, 2});
  CHECK(bespoke::ir::validate(g, true).empty());

  // B computed at run time from the input (a transposed key, as in attention).
  OnnxModelBuilder t(13);
  t.input("x", {1, 6, 8}).output("s");
  OnnxModelBuilder::set_ints(t.node("Transpose", {"x"}, {"xt"}), "perm", {0, 2, 1});
  t.node("MatMul", {"x", "xt"}, {"s"}, "scores");
  const Graph tg = legalized(t);
  CHECK(only(tg, "MatMul").name == "scores");
  CHECK(shape_of(tg, "s") == Shape{1, 6, 6});
}

TEST_CASE("MatMul of run-time tensors outside ranks 2..4, or with a constant A, is refused with a reason") {
  OnnxModelBuilder vec(13);
  vec.input("x", {3}).input("z", {3, 2}).output("y");
  vec.node("MatMul", {"x", "z"}, {"y"}, "vector");
  std::string message = legalize_error(vec);
  CHECK(message.find("node 'vector' (MatMul)") != std::string::npos);
  CHECK(message.find("rank 2 to 4") != std::string::npos);

  OnnxModelBuilder deep(13);
  deep.input("x", {1, 2, 2, 4, 3}).input("z", {1, 2, 2, 3, 2}).output("y");
  deep.node("MatMul", {"x", "z"}, {"y"}, "rank5");
  message = legalize_error(deep);
  CHECK(message.find("node 'rank5' (MatMul)") != std::string::npos);
  CHECK(message.find("rank 2 to 4") != std::string::npos);

  OnnxModelBuilder left(13);
  left.input("z", {3, 2}).output("y");
  left.ramp_initializer("A", {4, 3});
  left.node("MatMul", {"A", "z"}, {"y"}, "left");
  message = legalize_error(left);
  CHECK(message.find("node 'left' (MatMul)") != std::string::npos);
  CHECK(message.find("A is a constant") != std::string::npos);
}

TEST_CASE("Pow with a constant scalar exponent: 2 -> Mul(x, x), 0.5 -> Sqrt, 1 -> Identity; others refused") {
  const auto pow_graph = [](float exponent) {
    OnnxModelBuilder b(13);
    b.input("x", {2, 3}).output("y");
    b.initializer("p", {}, {exponent});
    b.node("Pow", {"x", "p"}, {"y"}, "pow");
    return b;
  };
  {
    const Graph g = legalized(pow_graph(2.0f));
    REQUIRE(g.nodes.size() == 1);
    const Node& mul = only(g, "Mul");
    CHECK(mul.name == "pow");
    REQUIRE(mul.inputs.size() == 2);
    CHECK(mul.inputs[0] == g.find_value("x"));
    CHECK(mul.inputs[1] == g.find_value("x"));
    CHECK(shape_of(g, "y") == Shape{2, 3});
  }
  {
    const Graph g = legalized(pow_graph(0.5f));
    REQUIRE(g.nodes.size() == 1);
    const Node& sqrt = only(g, "Sqrt");
    CHECK(sqrt.inputs == std::vector<int>{g.find_value("x")});
    CHECK(shape_of(g, "y") == Shape{2, 3});
  }
  {
    const Graph g = legalized(pow_graph(1.0f));
    REQUIRE(g.nodes.size() == 1);
    CHECK(only(g, "Identity").inputs == std::vector<int>{g.find_value("x")});
  }
  // An integer exponent tensor of shape [1] is a scalar too.
  {
    OnnxModelBuilder b(13);
    b.input("x", {2, 3}).output("y");
    b.int_initializer("p", {1}, {2});
    b.node("Pow", {"x", "p"}, {"y"}, "pow");
    only(legalized(b), "Mul");
  }
  const std::string message = legalize_error(pow_graph(3.0f));
  CHECK(message.find("node 'pow' (Pow)") != std::string::npos);
  CHECK(message.find("exponent 3 is not supported") != std::string::npos);
  CHECK(message.find("0.5 (Sqrt), 1 and 2 (Mul)") != std::string::npos);

  // A run-time exponent cannot be rewritten either; the message says what can.
  OnnxModelBuilder dyn(13);
  dyn.input("x", {2, 3}).input("e", {2, 3}).output("y");
  dyn.node("Pow", {"x", "e"}, {"y"}, "pow");
  const std::string dynamic = legalize_error(dyn);
  CHECK(dynamic.find("node 'pow' (Pow)") != std::string::npos);
  CHECK(dynamic.find("0.5 (Sqrt), 1 and 2 (Mul)") != std::string::npos);
}

TEST_CASE("Sqrt stays Sqrt") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 4, 2}).output("y");
  b.node("Sqrt", {"x"}, {"y"}, "root");
  const Graph g = legalized(b);
  CHECK(only(g, "Sqrt").name == "root");
  CHECK(shape_of(g, "y") == Shape{1, 4, 2});
  CHECK(bespoke::ir::validate(g, true).empty());
}

TEST_CASE("Clip: attributes before opset 11, optional inputs after; a missing bound is infinite") {
  {
    OnnxModelBuilder b(9);
    b.input("x", {1, 4}).output("y");
    auto& clip = b.node("Clip", {"x"}, {"y"});
    OnnxModelBuilder::set_float(clip, "min", 0.0f);
    OnnxModelBuilder::set_float(clip, "max", 6.0f);
    const Graph g = legalized(b);
    const Node& c = only(g, "Clip");
    CHECK(c.inputs.size() == 1);
    CHECK(c.get_float("min", -1) == 0.0);
    CHECK(c.get_float("max", -1) == 6.0);
  }
  {
    OnnxModelBuilder b(13);
    b.input("x", {1, 4}).output("y");
    b.initializer("hi", {}, {2.5f});
    b.node("Clip", {"x", "", "hi"}, {"y"});
    const Graph g = legalized(b);
    const Node& c = only(g, "Clip");
    CHECK(c.inputs.size() == 1);
    CHECK(c.get_float("min", 0) == -std::numeric_limits<double>::infinity());
    CHECK(c.get_float("max", 0) == 2.5);
  }
}

TEST_CASE("Pad: pads input -> attribute; only constant mode") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 2, 3, 3}).output("y");
  b.int_initializer("pads", {8}, {0, 0, 1, 2, 0, 0, 3, 4});
  b.initializer("v", {}, {-1.0f});
  b.node("Pad", {"x", "pads", "v"}, {"y"}, "pad");
  const Graph g = legalized(b);
  const Node& pad = only(g, "Pad");
  CHECK(pad.inputs.size() == 1);
  CHECK(pad.get_ints("pads") == Ints{0, 0, 1, 2, 0, 0, 3, 4});
  CHECK(pad.get_float("value", 0) == -1.0);
  CHECK(shape_of(g, "y") == Shape{1, 2, 7, 9});

  OnnxModelBuilder reflect(13);
  reflect.input("x", {1, 2, 3, 3}).output("y");
  reflect.int_initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  OnnxModelBuilder::set_string(reflect.node("Pad", {"x", "pads"}, {"y"}, "mirror"), "mode", "reflect");
  CHECK(legalize_error(reflect).find("node 'mirror' (Pad): mode 'reflect' is not supported") != std::string::npos);
}

TEST_CASE("Slice: negative and INT64_MAX bounds clamp to a full-rank slice") {
  OnnxModelBuilder b(13);
  b.input("x", {2, 6, 5}).output("y");
  b.int_initializer("starts", {2}, {-4, 1});
  b.int_initializer("ends", {2}, {std::numeric_limits<int64_t>::max(), 4});
  b.int_initializer("axes", {2}, {1, -1});
  b.int_initializer("steps", {2}, {2, 1});
  b.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"});
  const Graph g = legalized(b);
  const Node& s = only(g, "Slice");
  CHECK(s.inputs.size() == 1);
  CHECK(s.get_ints("starts") == Ints{0, 2, 1});
  CHECK(s.get_ints("ends") == Ints{2, 6, 4});
  CHECK(s.get_ints("steps") == Ints{1, 2, 1});
  CHECK(shape_of(g, "y") == Shape{2, 2, 3});

  OnnxModelBuilder v9(9);  // opset 9: attributes
  v9.input("x", {4, 4}).output("y");
  auto& slice = v9.node("Slice", {"x"}, {"y"});
  OnnxModelBuilder::set_ints(slice, "starts", {1});
  OnnxModelBuilder::set_ints(slice, "ends", {-1});
  OnnxModelBuilder::set_ints(slice, "axes", {0});
  const Graph g9 = legalized(v9);
  CHECK(only(g9, "Slice").get_ints("starts") == Ints{1, 0});
  CHECK(only(g9, "Slice").get_ints("ends") == Ints{3, 4});
  CHECK(shape_of(g9, "y") == Shape{2, 4});
}

TEST_CASE("Split: sizes from the input, or equal parts") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 6, 2}).output("a").output("b").output("c").output("d");
  b.int_initializer("split", {2}, {2, 4});
  OnnxModelBuilder::set_int(b.node("Split", {"x", "split"}, {"a", "b"}, "given"), "axis", 1);
  OnnxModelBuilder::set_int(b.node("Split", {"x"}, {"c", "d"}, "equal"), "axis", -2);
  const Graph g = legalized(b);
  const auto splits = nodes_of(g, "Split");
  REQUIRE(splits.size() == 2);
  CHECK(splits[0]->get_ints("split") == Ints{2, 4});
  CHECK(splits[0]->get_int("axis", -1) == 1);
  CHECK(splits[1]->get_ints("split") == Ints{3, 3});
  CHECK(splits[1]->get_int("axis", -1) == 1);
  CHECK(shape_of(g, "b") == Shape{1, 4, 2});
}

TEST_CASE("Softmax: opset-13 axis made non-negative; older opsets coerce to 2-D") {
  {
    OnnxModelBuilder b(13);
    b.input("x", {2, 3, 4}).output("y");
    b.node("Softmax", {"x"}, {"y"});
    CHECK(only(legalized(b), "Softmax").get_int("axis", -1) == 2);
  }
  {  // opset 11, axis 1 over [2,3,4]: softmax over the 12 trailing elements
    OnnxModelBuilder b(11);
    b.input("x", {2, 3, 4}).output("y");
    b.node("Softmax", {"x"}, {"y"});
    const Graph g = legalized(b);
    check_all_canonical(g);
    REQUIRE(g.nodes.size() == 3);
    CHECK(g.nodes[0].op == "Reshape");
    CHECK(g.shape_of(g.nodes[0].outputs[0]) == Shape{2, 12});
    CHECK(g.nodes[1].get_int("axis", -1) == 1);
    CHECK(g.nodes[2].op == "Reshape");
    CHECK(shape_of(g, "y") == Shape{2, 3, 4});
  }
  {  // opset 11 with only unit dims after the axis: the same as one-axis softmax
    OnnxModelBuilder b(11);
    b.input("x", {2, 3, 1, 1}).output("y");
    b.node("Softmax", {"x"}, {"y"});
    const Graph g = legalized(b);
    REQUIRE(g.nodes.size() == 1);
    CHECK(g.nodes[0].get_int("axis", -1) == 1);
  }
}

TEST_CASE("Resize and Upsample: explicit modes and spatial scales") {
  {  // opset 11 with sizes: scales 0 = derived from the shapes
    OnnxModelBuilder b(11);
    b.input("x", {1, 2, 4, 4}).output("y");
    b.initializer("roi", {0}, {});
    b.initializer("scales", {0}, {});
    b.int_initializer("sizes", {4}, {1, 2, 8, 6});
    auto& r = b.node("Resize", {"x", "roi", "scales", "sizes"}, {"y"});
    OnnxModelBuilder::set_string(r, "mode", "linear");
    OnnxModelBuilder::set_string(r, "coordinate_transformation_mode", "align_corners");
    const Graph g = legalized(b);
    const Node& c = only(g, "Resize");
    CHECK(c.inputs.size() == 1);
    CHECK(c.get_string("mode", "") == "linear");
    CHECK(c.get_string("coordinate_transformation_mode", "") == "align_corners");
    CHECK(c.get_string("nearest_mode", "") == "round_prefer_floor");
    CHECK(c.get_floats("scales") == Floats{0.0, 0.0});
    CHECK(shape_of(g, "y") == Shape{1, 2, 8, 6});
  }
  {  // opset 13 with scales, defaults
    OnnxModelBuilder b(13);
    b.input("x", {1, 2, 4, 4}).output("y");
    b.initializer("scales", {4}, {1, 1, 2, 0.5f});
    b.node("Resize", {"x", "", "scales"}, {"y"});
    const Graph g = legalized(b);
    const Node& c = only(g, "Resize");
    CHECK(c.get_string("mode", "") == "nearest");
    CHECK(c.get_string("coordinate_transformation_mode", "") == "half_pixel");
    CHECK(c.get_floats("scales") == Floats{2.0, 0.5});
    CHECK(shape_of(g, "y") == Shape{1, 2, 8, 2});
  }
  {  // Upsample (opset 9): asymmetric, nearest rounds down
    OnnxModelBuilder b(9);
    b.input("x", {1, 2, 3, 3}).output("y");
    b.initializer("scales", {4}, {1, 1, 2, 2});
    b.node("Upsample", {"x", "scales"}, {"y"});
    const Graph g = legalized(b);
    const Node& c = only(g, "Resize");
    CHECK(c.get_string("coordinate_transformation_mode", "") == "asymmetric");
    CHECK(c.get_string("nearest_mode", "") == "floor");
    CHECK(shape_of(g, "y") == Shape{1, 2, 6, 6});
  }
  {
    OnnxModelBuilder b(13);
    b.input("x", {1, 2, 4, 4}).output("y");
    b.initializer("scales", {4}, {1, 1, 2, 2});
    OnnxModelBuilder::set_string(b.node("Resize", {"x", "", "scales"}, {"y"}, "bicubic"), "mode", "cubic");
    CHECK(legalize_error(b).find("node 'bicubic' (Resize): mode 'cubic' is not supported") != std::string::npos);
  }
}

TEST_CASE("Conv: kernel_shape from the weights, auto_pad resolved into explicit pads") {
  struct Case {
    const char* auto_pad;
    Ints pads;
  };
  const Case cases[] = {{"SAME_UPPER", {0, 0, 1, 1}}, {"SAME_LOWER", {1, 1, 0, 0}}, {"VALID", {0, 0, 0, 0}}};
  for (const Case& c : cases) {
    CAPTURE(c.auto_pad);
    OnnxModelBuilder b(13);
    b.input("x", {1, 3, 5, 5}).output("y");
    b.ramp_initializer("w", {8, 3, 2, 2});
    OnnxModelBuilder::set_string(b.node("Conv", {"x", "w"}, {"y"}), "auto_pad", c.auto_pad);
    const Graph g = legalized(b);
    const Node& conv = only(g, "Conv");
    CHECK(conv.get_ints("kernel_shape") == Ints{2, 2});
    CHECK(conv.get_ints("strides") == Ints{1, 1});
    CHECK(conv.get_ints("dilations") == Ints{1, 1});
    CHECK(conv.get_ints("pads") == c.pads);
    CHECK(conv.get_int("group", 0) == 1);
    CHECK_FALSE(conv.has("auto_pad"));
    CHECK(shape_of(g, "y") == (std::string(c.auto_pad) == "VALID" ? Shape{1, 8, 4, 4} : Shape{1, 8, 5, 5}));
  }
}

TEST_CASE("1-D Conv and MaxPool run as 2-D ones over a height-1 image; 3-D is rejected") {
  OnnxModelBuilder b(13);
  b.input("x", {2, 3, 16}).output("y");
  b.ramp_initializer("w", {4, 3, 3});
  auto& conv = b.node("Conv", {"x", "w"}, {"c"}, "conv1d");
  OnnxModelBuilder::set_ints(conv, "pads", {1, 0});
  OnnxModelBuilder::set_ints(conv, "strides", {2});
  auto& pool = b.node("MaxPool", {"c"}, {"y"}, "pool1d");
  OnnxModelBuilder::set_ints(pool, "kernel_shape", {2});
  const Graph g = legalized(b);
  check_all_canonical(g);
  const Node& c = only(g, "Conv");
  CHECK(c.get_ints("kernel_shape") == Ints{1, 3});
  CHECK(c.get_ints("strides") == Ints{1, 2});
  CHECK(c.get_ints("pads") == Ints{0, 1, 0, 0});
  CHECK(constant_input(g, c, 1).shape == Shape{4, 3, 1, 3});
  CHECK(g.shape_of(c.inputs[0]) == Shape{2, 3, 1, 16});
  CHECK(shape_of(g, "c") == Shape{2, 4, 8});  // (16 + 1 + 0 - 3) / 2 + 1
  CHECK(only(g, "MaxPool").get_ints("kernel_shape") == Ints{1, 2});
  CHECK(shape_of(g, "y") == Shape{2, 4, 7});
  CHECK(nodes_of(g, "Reshape").size() == 4);

  OnnxModelBuilder b3(13);
  b3.input("x", {1, 3, 4, 4, 4}).output("y");
  b3.ramp_initializer("w", {4, 3, 3, 3, 3});
  b3.node("Conv", {"x", "w"}, {"y"}, "conv3d");
  CHECK(legalize_error(b3).find("node 'conv3d' (Conv): only 1-D and 2-D (NCHW) inputs are supported") !=
        std::string::npos);
}

TEST_CASE("ConvTranspose: output_shape resolved into pads") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 4, 3, 3}).output("y");
  b.ramp_initializer("w", {4, 2, 3, 3});
  auto& ct = b.node("ConvTranspose", {"x", "w"}, {"y"});
  OnnxModelBuilder::set_ints(ct, "strides", {2, 2});
  OnnxModelBuilder::set_ints(ct, "output_shape", {6, 6});
  // Full size 2*(3-1) + 3 = 7; 6 wanted: total padding 1, at the end (ONNX: begin = total - total/2... for
  // NOTSET the larger half goes first) -- either way pads sum to 1 per axis.
  const Graph g = legalized(b);
  const Node& c = only(g, "ConvTranspose");
  const Ints pads = c.get_ints("pads");
  REQUIRE(pads.size() == 4);
  CHECK(pads[0] + pads[2] == 1);
  CHECK(pads[1] + pads[3] == 1);
  CHECK(c.get_ints("output_padding") == Ints{0, 0});
  CHECK(shape_of(g, "y") == Shape{1, 2, 6, 6});
}

TEST_CASE("pools: ceil_mode becomes extra bottom/right padding; the inexact average case is rejected") {
  // 6x6, kernel 3, stride 2: floor gives 2, ceil gives 3, which needs one more row/column.
  auto pool = [](const char* op, int64_t count_include_pad) {
    OnnxModelBuilder b(13);
    b.input("x", {1, 1, 6, 6}).output("y");
    auto& p = b.node(op, {"x"}, {"y"}, "pool");
    OnnxModelBuilder::set_ints(p, "kernel_shape", {3, 3});
    OnnxModelBuilder::set_ints(p, "strides", {2, 2});
    OnnxModelBuilder::set_int(p, "ceil_mode", 1);
    if (count_include_pad >= 0) OnnxModelBuilder::set_int(p, "count_include_pad", count_include_pad);
    return b;
  };
  const Graph max = legalized(pool("MaxPool", -1));
  CHECK(only(max, "MaxPool").get_ints("pads") == Ints{0, 0, 1, 1});
  CHECK(shape_of(max, "y") == Shape{1, 1, 3, 3});
  const Graph avg = legalized(pool("AveragePool", 0));
  CHECK(only(avg, "AveragePool").get_ints("pads") == Ints{0, 0, 1, 1});
  CHECK(only(avg, "AveragePool").get_int("count_include_pad", -1) == 0);
  CHECK(
      legalize_error(pool("AveragePool", 1)).find("node 'pool' (AveragePool): ceil_mode=1 with count_include_pad=1") !=
      std::string::npos);
}

TEST_CASE("Flatten / Squeeze / Unsqueeze / Reshape all become Reshape with the output shape") {
  OnnxModelBuilder b(13);
  b.input("x", {2, 1, 3, 1}).output("f").output("s").output("u").output("r");
  b.node("Flatten", {"x"}, {"f"});
  b.int_initializer("sq_axes", {1}, {-1});
  b.node("Squeeze", {"x", "sq_axes"}, {"s"});
  b.int_initializer("un_axes", {2}, {0, -1});
  b.node("Unsqueeze", {"x", "un_axes"}, {"u"});
  b.int_initializer("shape", {3}, {0, -1, 1});
  b.node("Reshape", {"x", "shape"}, {"r"});
  const Graph g = legalized(b);
  CHECK(nodes_of(g, "Reshape").size() == 4);
  for (const Node* n : nodes_of(g, "Reshape")) CHECK(n->inputs.size() == 1);
  CHECK(shape_of(g, "f") == Shape{2, 3});
  CHECK(shape_of(g, "s") == Shape{2, 1, 3});
  CHECK(shape_of(g, "u") == Shape{1, 2, 1, 3, 1, 1});
  CHECK(shape_of(g, "r") == Shape{2, 3, 1});
}

TEST_CASE("ReduceMean axes sorted and non-negative; Sum of three inputs -> two Adds; defaults explicit") {
  OnnxModelBuilder b(13);
  b.input("x", {2, 3, 4, 5}).output("m").output("s").output("h");
  auto& mean = b.node("ReduceMean", {"x"}, {"m"});
  OnnxModelBuilder::set_ints(mean, "axes", {-1, 1});
  OnnxModelBuilder::set_int(mean, "keepdims", 0);
  b.node("Sum", {"x", "x", "x"}, {"s"});
  b.node("HardSigmoid", {"x"}, {"h"});
  const Graph g = legalized(b);
  check_all_canonical(g);
  CHECK(only(g, "ReduceMean").get_ints("axes") == Ints{1, 3});
  CHECK(only(g, "ReduceMean").get_int("keepdims", -1) == 0);
  CHECK(shape_of(g, "m") == Shape{2, 4});
  CHECK(nodes_of(g, "Add").size() == 2);
  CHECK(only(g, "HardSigmoid").get_float("alpha", 0) == doctest::Approx(0.2));
  CHECK(only(g, "HardSigmoid").get_float("beta", 0) == doctest::Approx(0.5));
}

TEST_CASE("every unsupported operator is listed with a node name, not only the first") {
  OnnxModelBuilder b(13);
  b.input("x", {1, 4}).output("y");
  b.node("Erf", {"x"}, {"e1"}, "erf_a");
  b.node("Erf", {"e1"}, {"e2"}, "erf_b");
  b.node("LogSoftmax", {"e2"}, {"y"}, "logits");
  const std::string message = legalize_error(b);
  CHECK(message.find("unsupported operators: Erf (nodes 'erf_a', 'erf_b'), LogSoftmax (node 'logits')") !=
        std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}
