// Every canonical op (ir/op_set.h) as a small hand-built graph: the
// GraphModule's LibTorch output against the runtime's reference backend
// (rtol 1e-3, atol 1e-4), including the attribute cases PyTorch has no
// direct form for (asymmetric pads, large output_padding, dilated average
// pooling, every Resize coordinate transform and rounding).
#include <ATen/ops/matmul.h>
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/graph_builder.h"
#include "torch_test_util.h"

namespace {

using bespoke::ir::Shape;
using bespoke::test::Attrs;
using bespoke::test::float_attr;
using bespoke::test::GraphBuilder;
using bespoke::test::int_attr;
using bespoke::test::ints_attr;
using bespoke::test::random_floats;
using bespoke::test::str_attr;
using bespoke::test::libtorch::check_close;
using bespoke::test::libtorch::check_gradients_flow;
using bespoke::test::libtorch::check_module_matches_reference;
using bespoke::test::libtorch::random_tensor;
using bespoke::test::libtorch::run_module;

// A constant of seeded values in [offset - 1, offset + 1).
int random_constant(GraphBuilder& b, const std::string& name, const Shape& shape, uint32_t seed, float offset = 0.0f) {
  std::vector<float> values = random_floats(static_cast<size_t>(bespoke::ir::shape_elements(shape)), seed);
  for (float& v : values) v += offset;
  return b.floats(name, shape, values);
}

Attrs window(std::vector<int64_t> kernel, std::vector<int64_t> strides, std::vector<int64_t> dilations,
             std::vector<int64_t> pads) {
  return {{"kernel_shape", ints_attr(std::move(kernel))},
          {"strides", ints_attr(std::move(strides))},
          {"dilations", ints_attr(std::move(dilations))},
          {"pads", ints_attr(std::move(pads))}};
}

Attrs with(Attrs base, const Attrs& more) {
  for (const auto& [key, value] : more) base[key] = value;
  return base;
}

bespoke::ir::Attribute text(const std::string& s) { return s; }

const Attrs kRelu = {{"activation", str_attr("Relu")}};
const Attrs kClip = {{"activation", str_attr("Clip")}, {"act_min", float_attr(-0.5)}, {"act_max", float_attr(0.5)}};

// One op on input(s) of the given shapes; `output_shape` set when the op needs it (Reshape, Resize).
void check_single_op(const std::string& label, const std::string& op, const std::vector<Shape>& input_shapes,
                     const Attrs& attrs, const Shape& output_shape = {}, size_t outputs = 1, float input_scale = 1.0f) {
  GraphBuilder b;
  std::vector<int> inputs;
  std::vector<at::Tensor> feeds;
  for (size_t i = 0; i < input_shapes.size(); ++i) {
    inputs.push_back(b.input("x" + std::to_string(i), input_shapes[i]));
    feeds.push_back(random_tensor(input_shapes[i], static_cast<uint32_t>(100 + i)) * input_scale);
  }
  const std::vector<int> ys = b.node(op, inputs, outputs, attrs);
  if (!output_shape.empty()) b.g.values[static_cast<size_t>(ys[0])].shape = output_shape;
  for (int y : ys) b.output(y);
  check_module_matches_reference(b.g, feeds, label);
}

}  // namespace

TEST_SUITE("torch.ops") {
  TEST_CASE("Conv: strides, dilations, groups, bias, symmetric and asymmetric pads, fused activations") {
    struct Case {
      std::string label;
      int64_t out_channels, group;
      std::vector<int64_t> strides, dilations, pads;
      Attrs activation;
      bool bias;
    };
    const std::vector<Case> cases = {
        {"3x3 pads 1 + bias + Relu", 6, 1, {1, 1}, {1, 1}, {1, 1, 1, 1}, kRelu, true},
        {"stride (2,1) dilation (2,1) group 2, pads (0,1,2,0), Clip", 6, 2, {2, 1}, {2, 1}, {0, 1, 2, 0}, kClip, true},
        {"depthwise, pads (2,1,0,1), no bias", 4, 4, {1, 2}, {1, 1}, {2, 1, 0, 1}, {}, false},
    };
    for (const Case& c : cases) {
      GraphBuilder b;
      const int x = b.input("x", {2, 4, 9, 8});
      std::vector<int> inputs = {x, random_constant(b, "w", {c.out_channels, 4 / c.group, 3, 3}, 1)};
      if (c.bias) inputs.push_back(random_constant(b, "b", {c.out_channels}, 2));
      Attrs attrs = with(window({3, 3}, c.strides, c.dilations, c.pads), c.activation);
      attrs["group"] = int_attr(c.group);
      b.output(b.op("Conv", inputs, attrs));
      check_module_matches_reference(b.g, {random_tensor({2, 4, 9, 8}, 3)}, "Conv " + c.label);
    }
  }

  TEST_CASE("ConvTranspose: PyTorch's padding form and the explicit crop (asymmetric pads, output_padding)") {
    struct Case {
      std::string label;
      int64_t group;
      std::vector<int64_t> strides, dilations, pads, output_padding;
      Attrs activation;
      bool bias;
    };
    const std::vector<Case> cases = {
        {"stride 2 pads 1 output_padding 1 + Relu", 1, {2, 2}, {1, 1}, {1, 1, 1, 1}, {1, 1}, kRelu, true},
        {"group 2 stride (2,3) dilation (1,2) pads (0,1,2,0) output_padding (1,2)",
         2,
         {2, 3},
         {1, 2},
         {0, 1, 2, 0},
         {1, 2},
         {},
         true},
        {"stride 1 dilation 2 output_padding (1,0), Clip, no bias",
         1,
         {1, 1},
         {2, 2},
         {1, 0, 0, 1},
         {1, 0},
         kClip,
         false},
    };
    for (const Case& c : cases) {
      GraphBuilder b;
      const int x = b.input("x", {1, 4, 5, 6});
      const int w = random_constant(b, "w", {4, 6 / c.group, 3, 3}, 4);
      std::vector<int> inputs = {x, w};
      if (c.bias) inputs.push_back(random_constant(b, "b", {6}, 5));
      Attrs attrs = with(window({3, 3}, c.strides, c.dilations, c.pads), c.activation);
      attrs["group"] = int_attr(c.group);
      attrs["output_padding"] = ints_attr(c.output_padding);
      b.output(b.op("ConvTranspose", inputs, attrs));
      check_module_matches_reference(b.g, {random_tensor({1, 4, 5, 6}, 6)}, "ConvTranspose " + c.label);
    }
  }

  TEST_CASE("FullyConnected: 2-D and 3-D inputs, bias, fused Relu") {
    for (const Shape& shape : {Shape{3, 8}, Shape{2, 3, 8}}) {
      GraphBuilder b;
      const int x = b.input("x", shape);
      const int w = random_constant(b, "w", {5, 8}, 7);
      const bool bias = shape.size() == 2;
      std::vector<int> inputs = {x, w};
      if (bias) inputs.push_back(random_constant(b, "b", {5}, 8));
      b.output(b.op("FullyConnected", inputs, bias ? kRelu : Attrs{}));
      const std::string label = "FullyConnected " + bespoke::ir::shape_string(shape);
      check_module_matches_reference(b.g, {random_tensor(shape, 9)}, label);
    }
  }

  TEST_CASE("MaxPool: PyTorch padding, asymmetric and large pads (-inf), dilation") {
    check_single_op("k3 s2 pads 1", "MaxPool", {{1, 3, 9, 9}}, window({3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}));
    check_single_op("k3 s2 pads (0,0,2,1)", "MaxPool", {{1, 3, 9, 9}}, window({3, 3}, {2, 2}, {1, 1}, {0, 0, 2, 1}));
    check_single_op("k2 dilation 2 pads 1", "MaxPool", {{1, 3, 9, 9}}, window({2, 2}, {1, 1}, {2, 2}, {1, 1, 1, 1}));
    check_single_op("k3 pads 2 (beyond half the kernel)", "MaxPool", {{1, 3, 6, 7}},
                    window({3, 3}, {1, 2}, {1, 1}, {2, 2, 2, 2}));
  }

  TEST_CASE("AveragePool: count_include_pad both ways, asymmetric pads, dilation") {
    for (int64_t include : {0, 1}) {
      const Attrs count = {{"count_include_pad", int_attr(include)}};
      const std::string suffix = include ? " (count_include_pad)" : " (exclude pad)";
      check_single_op("k3 s2 pads 1" + suffix, "AveragePool", {{1, 3, 9, 9}},
                      with(window({3, 3}, {2, 2}, {1, 1}, {1, 1, 1, 1}), count));
      check_single_op("k3 s2 pads (1,0,0,1)" + suffix, "AveragePool", {{1, 3, 9, 8}},
                      with(window({3, 3}, {2, 2}, {1, 1}, {1, 0, 0, 1}), count));
      check_single_op("k2 dilation 2 pads (1,1,0,0)" + suffix, "AveragePool", {{1, 3, 7, 8}},
                      with(window({2, 2}, {1, 2}, {2, 2}, {1, 1, 0, 0}), count));
      check_single_op("k2 s2 no pads" + suffix, "AveragePool", {{1, 3, 8, 8}},
                      with(window({2, 2}, {2, 2}, {1, 1}, {0, 0, 0, 0}), count));
    }
  }

  TEST_CASE("GlobalAveragePool") { check_single_op("GlobalAveragePool", "GlobalAveragePool", {{2, 3, 5, 4}}, {}); }

  TEST_CASE("Add / Sub / Mul / Div with broadcasting and fused activations") {
    for (const std::string op : {"Add", "Sub", "Mul", "Div"}) {
      GraphBuilder b;
      const int x = b.input("x", {2, 3, 4, 4});
      const int y = b.input("y", {1, 1, 4, 1});
      const int per_channel = random_constant(b, "c", {1, 3, 1, 1}, 10, op == "Div" ? 2.5f : 0.0f);
      const int scalar = b.scalar("s", op == "Div" ? 1.75f : 0.625f);
      const int v1 = b.op(op, {x, per_channel}, kRelu);
      const int v2 = b.op(op, {v1, scalar}, kClip);
      const int v3 = b.op(op, {y, op == "Div" ? scalar : v2});
      b.output(v3);
      b.output(v2);
      check_module_matches_reference(b.g, {random_tensor({2, 3, 4, 4}, 11), random_tensor({1, 1, 4, 1}, 12)}, op);
    }
  }

  TEST_CASE("activations: Relu Sigmoid HardSwish SiLU Tanh Clip LeakyRelu HardSigmoid") {
    const Shape shape = {1, 2, 3, 5};
    const std::vector<std::pair<std::string, Attrs>> ops = {
        {"Relu", {}},
        {"Sigmoid", {}},
        {"HardSwish", {}},
        {"SiLU", {}},
        {"Tanh", {}},
        {"Clip", {{"min", float_attr(-0.5)}, {"max", float_attr(1.25)}}},
        {"LeakyRelu", {{"alpha", float_attr(0.1)}}},
        {"HardSigmoid", {{"alpha", float_attr(0.2)}, {"beta", float_attr(0.5)}}},
    };
    // Inputs in [-4, 4) reach every piece of the piecewise activations.
    for (const auto& [op, attrs] : ops) check_single_op(op, op, {shape}, attrs, {}, 1, 4.0f);
  }

  TEST_CASE("Softmax over each axis") {
    for (int64_t axis : {0, 1, 2})
      check_single_op("Softmax axis " + std::to_string(axis), "Softmax", {{2, 5, 3}}, {{"axis", int_attr(axis)}}, {}, 1,
                      3.0f);
  }

  TEST_CASE("Concat of inputs and constants") {
    for (int64_t axis : {1, 3}) {
      GraphBuilder b;
      const int x = b.input("x", {1, 2, 3, 3});
      const int c = random_constant(b, "c", axis == 1 ? Shape{1, 4, 3, 3} : Shape{1, 2, 3, 2}, 13);
      b.output(b.op("Concat", {x, c, x}, {{"axis", int_attr(axis)}}));
      check_module_matches_reference(b.g, {random_tensor({1, 2, 3, 3}, 14)}, "Concat axis " + std::to_string(axis));
    }
  }

  TEST_CASE("Reshape, Transpose, Pad, Slice, Split, ChannelShuffle") {
    check_single_op("Reshape", "Reshape", {{2, 4, 3, 2}}, {}, {2, 24});
    check_single_op("Transpose", "Transpose", {{2, 4, 3, 5}}, {{"perm", ints_attr({0, 2, 3, 1})}});
    check_single_op("Pad", "Pad", {{1, 2, 3, 3}},
                    {{"pads", ints_attr({0, 1, 2, 0, 0, 0, 1, 3})}, {"value", float_attr(0.5)}});
    check_single_op(
        "Slice", "Slice", {{2, 5, 6, 7}},
        {{"starts", ints_attr({0, 1, 0, 2})}, {"ends", ints_attr({2, 5, 6, 7})}, {"steps", ints_attr({1, 2, 3, 1})}});
    check_single_op("Split", "Split", {{1, 6, 2, 2}}, {{"axis", int_attr(1)}, {"split", ints_attr({2, 4})}}, {}, 2);
    check_single_op("ChannelShuffle", "ChannelShuffle", {{1, 6, 2, 3}}, {{"group", int_attr(3)}});
  }

  TEST_CASE("ReduceMean with and without keepdims") {
    check_single_op("ReduceMean (2,3) keepdims", "ReduceMean", {{2, 3, 4, 5}},
                    {{"axes", ints_attr({2, 3})}, {"keepdims", int_attr(1)}});
    check_single_op("ReduceMean (1) no keepdims", "ReduceMean", {{2, 3, 4, 5}},
                    {{"axes", ints_attr({1})}, {"keepdims", int_attr(0)}});
  }

  TEST_CASE("BatchNormalization in eval mode uses the running statistics") {
    GraphBuilder b;
    const int x = b.input("x", {2, 3, 4, 4});
    const int scale = random_constant(b, "scale", {3}, 15, 1.0f);
    const int bias = random_constant(b, "bias", {3}, 16);
    const int mean = random_constant(b, "mean", {3}, 17);
    const int var = random_constant(b, "var", {3}, 18, 1.5f);
    b.output(b.op("BatchNormalization", {x, scale, bias, mean, var}, {{"epsilon", float_attr(1e-3)}}));
    check_module_matches_reference(b.g, {random_tensor({2, 3, 4, 4}, 19)}, "BatchNormalization");
  }

  TEST_CASE("Resize: nearest with every coordinate transform and rounding, linear with every transform") {
    const std::vector<std::string> transforms = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"};
    const std::vector<std::string> roundings = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
    struct Size {
      Shape out;
      std::vector<double> scales;
    };
    // Exact 2x up (explicit scales), a fractional up and a down (scales from the shapes).
    const std::vector<Size> sizes = {
        {{1, 2, 10, 14}, {2.0, 2.0}}, {{1, 2, 8, 11}, {0.0, 0.0}}, {{1, 2, 3, 4}, {0.0, 0.0}}};
    for (const std::string& transform : transforms)
      for (const Size& size : sizes) {
        for (const std::string& rounding : roundings) {
          const Attrs attrs = {{"mode", str_attr("nearest")},
                               {"coordinate_transformation_mode", text(transform)},
                               {"nearest_mode", text(rounding)},
                               {"scales", bespoke::test::floats_attr(size.scales)}};
          check_single_op("Resize nearest " + transform + " " + rounding + " to " + bespoke::ir::shape_string(size.out),
                          "Resize", {{1, 2, 5, 7}}, attrs, size.out);
        }
        const Attrs attrs = {{"mode", str_attr("linear")},
                             {"coordinate_transformation_mode", text(transform)},
                             {"nearest_mode", str_attr("round_prefer_floor")},
                             {"scales", bespoke::test::floats_attr(size.scales)}};
        check_single_op("Resize linear " + transform + " to " + bespoke::ir::shape_string(size.out), "Resize",
                        {{1, 2, 5, 7}}, attrs, size.out);
      }
  }

  // Sqrt and MatMul (runtime 0.2.0 ops) as a graph: Sqrt of a positive input,
  // then run-time products whose batch dims broadcast, plus a rank-2 one.
  struct SqrtMatMulGraph {
    GraphBuilder b;
    std::vector<at::Tensor> feeds;

    SqrtMatMulGraph() {
      const int q = b.input("q", {2, 1, 4, 3});
      const int k = b.input("k", {3, 3, 5});
      const int a = b.input("a", {4, 3});
      const int c = b.input("c", {3, 2});
      b.output(b.op("MatMul", {b.op("Sqrt", {q}), k}));
      b.output(b.op("MatMul", {a, c}));
      // sqrt is finite and differentiable away from 0: inputs in [0.25, 1.25).
      feeds = {random_tensor({2, 1, 4, 3}, 30).abs() + 0.25, random_tensor({3, 3, 5}, 31), random_tensor({4, 3}, 32),
               random_tensor({3, 2}, 33)};
    }
  };

  TEST_CASE("Sqrt and MatMul (batch dims broadcast, rank 2) match direct torch::sqrt / torch::matmul") {
    SqrtMatMulGraph m;
    const std::vector<at::Tensor> out = run_module(m.b.g, m.feeds);
    REQUIRE(out.size() == 2);
    const at::Tensor expected = at::matmul(m.feeds[0].sqrt(), m.feeds[1]);
    CHECK(out[0].sizes().vec() == std::vector<int64_t>{2, 3, 4, 5});
    check_close(out[0], expected, "Sqrt -> MatMul");
    check_close(out[1], at::matmul(m.feeds[2], m.feeds[3]), "MatMul rank 2");
    bespoke::torchbridge::GraphModule module(m.b.g);
    check_gradients_flow(module, m.feeds, "Sqrt / MatMul");
  }

  TEST_CASE("Sqrt and MatMul match the reference backend") {
    SqrtMatMulGraph m;
    check_module_matches_reference(m.b.g, m.feeds, "Sqrt / MatMul");
  }

}  // TEST_SUITE
