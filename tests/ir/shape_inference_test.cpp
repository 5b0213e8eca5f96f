// Shape inference, one op (family) at a time, on ONNX and canonical forms.
#include <doctest/doctest.h>

#include <limits>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

namespace {

Shape inferred(GraphBuilder& b, int v) {
  infer_shapes(b.g);
  const auto& s = b.g.values[static_cast<size_t>(v)].shape;
  REQUIRE_MESSAGE(s.has_value(), "shape of '" << b.g.values[static_cast<size_t>(v)].name << "' was not inferred");
  return *s;
}

std::string inference_error(GraphBuilder& b) {
  try {
    infer_shapes(b.g);
  } catch (const GraphError& e) {
    return e.what();
  }
  return "";
}

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

}  // namespace

TEST_CASE("Conv: explicit pads and strides, auto_pad without kernel_shape, groups") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 32, 32});
  const int w = b.floats("w", {8, 3, 3, 3}, std::vector<float>(8 * 27, 0.1f));
  const int y =
      b.op("Conv", {x, w},
           {{"kernel_shape", ints_attr({3, 3})}, {"pads", ints_attr({1, 1, 1, 1})}, {"strides", ints_attr({2, 2})}});
  CHECK(inferred(b, y) == Shape{1, 8, 16, 16});

  GraphBuilder same;
  const int x2 = same.input("x", {1, 3, 7, 7});
  const int w2 = same.floats("w", {4, 3, 3, 3}, std::vector<float>(4 * 27));
  const int y2 = same.op("Conv", {x2, w2}, {{"auto_pad", str_attr("SAME_UPPER")}, {"strides", ints_attr({2, 2})}});
  CHECK(inferred(same, y2) == Shape{1, 4, 4, 4});

  GraphBuilder depthwise;
  const int x3 = depthwise.input("x", {1, 8, 10, 10});
  const int w3 = depthwise.floats("w", {8, 1, 3, 3}, std::vector<float>(72));
  const int b3 = depthwise.floats("b", {8}, std::vector<float>(8));
  const int y3 = depthwise.op("Conv", {x3, w3, b3}, {{"group", int_attr(8)}, {"dilations", ints_attr({2, 2})}});
  CHECK(inferred(depthwise, y3) == Shape{1, 8, 6, 6});
}

TEST_CASE("Conv: inconsistent channels name the node, op and shapes") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4, 8, 8});
  const int w = b.floats("w", {8, 3, 3, 3}, std::vector<float>(8 * 27));
  b.op("Conv", {x, w}, {}, "conv1");
  const std::string error = inference_error(b);
  CHECK(error.find("node 'conv1' (Conv)") != std::string::npos);
  CHECK(error.find("[8,3,3,3]") != std::string::npos);
  CHECK(error.find("[1,4,8,8]") != std::string::npos);
}

TEST_CASE("ConvTranspose: pads + output_padding, groups, output_shape") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4, 5, 5});
  const int w = b.floats("w", {4, 2, 3, 3}, std::vector<float>(72));
  const int y =
      b.op("ConvTranspose", {x, w},
           {{"strides", ints_attr({2, 2})}, {"pads", ints_attr({1, 1, 1, 1})}, {"output_padding", ints_attr({1, 1})}});
  CHECK(inferred(b, y) == Shape{1, 2, 10, 10});

  const int wg = b.floats("wg", {4, 1, 3, 3}, std::vector<float>(36));
  const int yg = b.op("ConvTranspose", {x, wg},
                      {{"group", int_attr(2)}, {"strides", ints_attr({2, 2})}, {"output_shape", ints_attr({10, 10})}});
  CHECK(inferred(b, yg) == Shape{1, 2, 10, 10});
}

TEST_CASE("pooling: floor and ceil modes, auto_pad, PyTorch's ceil rule, global pooling") {
  GraphBuilder b;
  const int x = b.input("x", {1, 1, 6, 6});
  const Attrs k3s2 = {{"kernel_shape", ints_attr({3, 3})}, {"strides", ints_attr({2, 2})}};
  const int floor_mode = b.op("MaxPool", {x}, k3s2);
  Attrs ceil = k3s2;
  ceil["ceil_mode"] = int_attr(1);
  const int ceil_mode = b.op("MaxPool", {x}, ceil);
  Attrs same = k3s2;
  same["auto_pad"] = str_attr("SAME_UPPER");
  const int same_pad = b.op("AveragePool", {x}, same);
  CHECK(inferred(b, floor_mode) == Shape{1, 1, 2, 2});
  CHECK(inferred(b, ceil_mode) == Shape{1, 1, 3, 3});
  CHECK(inferred(b, same_pad) == Shape{1, 1, 3, 3});

  // The last window would start in the end padding only: dropped, as PyTorch does.
  GraphBuilder edge;
  const int x5 = edge.input("x", {1, 1, 5, 5});
  const int y5 = edge.op("MaxPool", {x5},
                         {{"kernel_shape", ints_attr({2, 2})},
                          {"strides", ints_attr({2, 2})},
                          {"pads", ints_attr({1, 1, 1, 1})},
                          {"ceil_mode", int_attr(1)}});
  CHECK(inferred(edge, y5) == Shape{1, 1, 3, 3});

  GraphBuilder global;
  const int xg = global.input("x", {2, 16, 7, 7});
  CHECK(inferred(global, global.op("GlobalAveragePool", {xg})) == Shape{2, 16, 1, 1});

  GraphBuilder too_big;
  const int xs = too_big.input("x", {1, 1, 2, 2});
  too_big.op("MaxPool", {xs}, {{"kernel_shape", ints_attr({3, 3})}}, "pool");
  CHECK(inference_error(too_big).find("node 'pool' (MaxPool)") != std::string::npos);
}

TEST_CASE("elementwise: broadcasting, comparisons, Where, unary, Cast") {
  GraphBuilder b;
  const int a = b.input("a", {2, 3, 4});
  const int c = b.input("c", {3, 1});
  const int sum = b.op("Add", {a, c});
  const int eq = b.op("Equal", {a, c});
  const int cond = b.input("cond", {3, 1}, DType::kBool);
  const int xs = b.input("xs", {1, 4});
  const int ys = b.input("ys", {});
  const int sel = b.op("Where", {cond, xs, ys});
  const int sig = b.op("Sigmoid", {a});
  const int cast = b.op("Cast", {a}, {{"to", int_attr(7)}});
  CHECK(inferred(b, sum) == Shape{2, 3, 4});
  CHECK(inferred(b, eq) == Shape{2, 3, 4});
  CHECK(b.g.values[static_cast<size_t>(eq)].dtype == DType::kBool);
  CHECK(inferred(b, sel) == Shape{3, 4});
  CHECK(b.g.values[static_cast<size_t>(sel)].dtype == DType::kF32);
  CHECK(inferred(b, sig) == Shape{2, 3, 4});
  CHECK(b.g.values[static_cast<size_t>(cast)].dtype == DType::kI64);

  GraphBuilder bad;
  const int p = bad.input("p", {2, 3});
  const int q = bad.input("q", {4});
  bad.op("Mul", {p, q}, {}, "mul");
  const std::string error = inference_error(bad);
  CHECK(error.find("node 'mul' (Mul)") != std::string::npos);
  CHECK(error.find("[2,3] and [4] do not broadcast") != std::string::npos);
}

TEST_CASE("Gemm, MatMul (numpy rules) and FullyConnected") {
  GraphBuilder b;
  const int a = b.input("a", {2, 5});
  const int w = b.floats("w", {3, 5}, std::vector<float>(15));
  const int bias = b.floats("bias", {3}, std::vector<float>(3));
  CHECK(inferred(b, b.op("Gemm", {a, w, bias}, {{"transB", int_attr(1)}})) == Shape{2, 3});
  CHECK(inferred(b, b.op("FullyConnected", {a, w, bias})) == Shape{2, 3});

  const int v = b.input("v", {5});
  const int m = b.input("m", {5, 3});
  CHECK(inferred(b, b.op("MatMul", {v, m})) == Shape{3});
  CHECK(inferred(b, b.op("MatMul", {v, v})) == Shape{});
  const int batched_a = b.input("ba", {2, 1, 4, 5});
  const int batched_b = b.input("bb", {3, 5, 6});
  CHECK(inferred(b, b.op("MatMul", {batched_a, batched_b})) == Shape{2, 3, 4, 6});
  // The canonical run-time MatMul's cases: rank-2 B against a batch, batch dims of 1 on either side.
  const int heads = b.input("heads", {1, 8, 25, 10});
  const int keys = b.input("keys", {1, 8, 10, 25});
  CHECK(inferred(b, b.op("MatMul", {heads, keys})) == Shape{1, 8, 25, 25});
  CHECK(inferred(b, b.op("MatMul", {heads, b.input("shared", {10, 4})})) == Shape{1, 8, 25, 4});
  CHECK(inferred(b, b.op("MatMul", {b.input("one", {3, 1, 2, 5}), b.input("many", {4, 5, 7})})) == Shape{3, 4, 2, 7});

  GraphBuilder bad;
  const int p = bad.input("p", {2, 4});
  const int q = bad.input("q", {5, 3});
  bad.op("MatMul", {p, q}, {}, "mm");
  CHECK(inference_error(bad).find("inner dimensions 4 and 5 differ") != std::string::npos);

  GraphBuilder unbroadcastable;
  unbroadcastable.op("MatMul", {unbroadcastable.input("p", {2, 3, 4}), unbroadcastable.input("q", {3, 4, 5})}, {},
                     "mm");
  CHECK(inference_error(unbroadcastable).find("batch dimensions do not broadcast") != std::string::npos);
}

TEST_CASE("Reshape: 0 copies, -1 infers, allowzero, pending and canonical forms, errors") {
  GraphBuilder b;
  const int x = b.input("x", {2, 3, 4});
  CHECK(inferred(b, b.op("Reshape", {x, b.ints("s1", {0, -1})})) == Shape{2, 12});
  CHECK(inferred(b, b.op("Reshape", {x, b.ints("s2", {-1, 4, 1})})) == Shape{6, 4, 1});

  const int empty = b.input("empty", {0, 4});
  CHECK(inferred(b, b.op("Reshape", {empty, b.ints("s3", {0, 8})}, {{"allowzero", int_attr(1)}})) == Shape{0, 8});

  // A computed (not yet constant) target leaves the output unknown.
  const int target = b.input("target", {2}, DType::kI64);
  const int pending = b.op("Reshape", {x, target});
  infer_shapes(b.g);
  CHECK_FALSE(b.g.values[static_cast<size_t>(pending)].shape.has_value());

  // Canonical Reshape: the output value carries the target, only checked.
  const int canonical = b.op("Reshape", {x});
  b.g.values[static_cast<size_t>(canonical)].shape = Shape{4, 6};
  CHECK(inferred(b, canonical) == Shape{4, 6});

  GraphBuilder two;
  const int x2 = two.input("x", {2, 3, 4});
  two.op("Reshape", {x2, two.ints("s", {-1, -1})}, {}, "r");
  CHECK(inference_error(two).find("more than one -1") != std::string::npos);

  GraphBuilder count;
  const int x3 = count.input("x", {2, 3, 4});
  count.op("Reshape", {x3, count.ints("s", {5, 5})}, {}, "r");
  const std::string error = inference_error(count);
  CHECK(error.find("node 'r' (Reshape)") != std::string::npos);
  CHECK(error.find("25 elements, input has 24") != std::string::npos);
}

TEST_CASE("Flatten, Squeeze, Unsqueeze, Transpose, Concat") {
  GraphBuilder b;
  const int x = b.input("x", {2, 3, 4, 5});
  CHECK(inferred(b, b.op("Flatten", {x}, {{"axis", int_attr(2)}})) == Shape{6, 20});
  CHECK(inferred(b, b.op("Flatten", {x}, {{"axis", int_attr(-1)}})) == Shape{24, 5});
  CHECK(inferred(b, b.op("Flatten", {x}, {{"axis", int_attr(0)}})) == Shape{1, 120});

  const int s = b.input("s", {2, 1, 3, 1});
  CHECK(inferred(b, b.op("Squeeze", {s}, {{"axes", ints_attr({1})}})) == Shape{2, 3, 1});
  CHECK(inferred(b, b.op("Squeeze", {s, b.ints("axes13", {-1})})) == Shape{2, 1, 3});
  CHECK(inferred(b, b.op("Squeeze", {s})) == Shape{2, 3});

  const int u = b.input("u", {3, 4});
  CHECK(inferred(b, b.op("Unsqueeze", {u}, {{"axes", ints_attr({0, -1})}})) == Shape{1, 3, 4, 1});
  CHECK(inferred(b, b.op("Unsqueeze", {u, b.ints("uaxes", {1})})) == Shape{3, 1, 4});

  CHECK(inferred(b, b.op("Transpose", {x})) == Shape{5, 4, 3, 2});
  CHECK(inferred(b, b.op("Transpose", {x}, {{"perm", ints_attr({0, 2, 3, 1})}})) == Shape{2, 4, 5, 3});

  const int y = b.input("y", {2, 3, 4, 7});
  CHECK(inferred(b, b.op("Concat", {x, y}, {{"axis", int_attr(-1)}})) == Shape{2, 3, 4, 12});

  GraphBuilder bad;
  const int p = bad.input("p", {2, 3});
  bad.op("Squeeze", {p}, {{"axes", ints_attr({1})}}, "sq");
  CHECK(inference_error(bad).find("cannot squeeze axis 1 of size 3") != std::string::npos);

  GraphBuilder concat;
  const int c1 = concat.input("c1", {2, 3});
  const int c2 = concat.input("c2", {3, 3});
  concat.op("Concat", {c1, c2}, {{"axis", int_attr(1)}}, "cat");
  CHECK(inference_error(concat).find("node 'cat' (Concat)") != std::string::npos);
}

TEST_CASE("Split: attribute sizes, input sizes, equal parts") {
  GraphBuilder b;
  const int x = b.input("x", {2, 6});
  const auto by_attr = b.node("Split", {x}, 2, {{"axis", int_attr(1)}, {"split", ints_attr({2, 4})}});
  const auto by_input = b.node("Split", {x, b.ints("sizes", {1, 5})}, 2, {{"axis", int_attr(-1)}});
  const auto equal = b.node("Split", {x}, 3, {{"axis", int_attr(1)}});
  infer_shapes(b.g);
  CHECK(*b.g.values[static_cast<size_t>(by_attr[1])].shape == Shape{2, 4});
  CHECK(*b.g.values[static_cast<size_t>(by_input[0])].shape == Shape{2, 1});
  for (int v : equal) CHECK(*b.g.values[static_cast<size_t>(v)].shape == Shape{2, 2});

  GraphBuilder bad;
  const int y = bad.input("y", {2, 6});
  bad.node("Split", {y}, 2, {{"axis", int_attr(1)}, {"split", ints_attr({2, 3})}}, "split");
  CHECK(inference_error(bad).find("do not add up to 6") != std::string::npos);
}

TEST_CASE("Slice: opset-9 attributes, inputs, negative and huge values, negative steps") {
  GraphBuilder b;
  const int x = b.input("x", {4, 10});
  CHECK(inferred(b, b.op("Slice", {x},
                         {{"starts", ints_attr({1})}, {"ends", ints_attr({1000})}, {"axes", ints_attr({1})}})) ==
        Shape{4, 9});
  CHECK(inferred(b, b.op("Slice", {x, b.ints("st", {-3}), b.ints("en", {kMax}), b.ints("ax", {-1})})) == Shape{4, 3});
  // Reverse the whole axis with a step of -2: 9, 7, 5, 3, 1.
  CHECK(inferred(b, b.op("Slice", {x, b.ints("st2", {-1}), b.ints("en2", {kMin}), b.ints("ax2", {1}),
                                   b.ints("sp2", {-2})})) == Shape{4, 5});
  CHECK(inferred(b, b.op("Slice", {x, b.ints("st3", {5}), b.ints("en3", {2})})) == Shape{0, 10});

  GraphBuilder bad;
  const int y = bad.input("y", {4});
  bad.op("Slice", {y, bad.ints("a", {0}), bad.ints("b", {4}), bad.ints("c", {0}), bad.ints("d", {0})}, {}, "sl");
  CHECK(inference_error(bad).find("slice step is 0") != std::string::npos);
}

TEST_CASE("Pad: attribute and input forms, negative pads crop") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 4, 4});
  CHECK(inferred(b, b.op("Pad", {x}, {{"pads", ints_attr({0, 0, 1, 2, 0, 0, 1, 2})}})) == Shape{1, 3, 6, 8});
  CHECK(inferred(b, b.op("Pad", {x, b.ints("pads", {0, 0, -1, 0, 0, 0, -1, 0})})) == Shape{1, 3, 2, 4});
}

TEST_CASE("Resize and Upsample: scales, sizes, opset 10 form, canonical form") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 5, 7});
  const int roi = b.floats("roi", {0}, {});
  const int scales = b.floats("scales", {4}, {1, 1, 2, 0.5f});
  CHECK(inferred(b, b.op("Resize", {x, roi, scales})) == Shape{1, 3, 10, 3});
  const int no_scales = b.floats("no_scales", {0}, {});
  CHECK(inferred(b, b.op("Resize", {x, roi, no_scales, b.ints("sizes", {1, 3, 9, 9})})) == Shape{1, 3, 9, 9});
  CHECK(inferred(b, b.op("Resize", {x, scales})) == Shape{1, 3, 10, 3});  // opset 10: (X, scales)
  CHECK(inferred(b, b.op("Upsample", {x}, {{"scales", floats_attr({1, 1, 2, 2})}})) == Shape{1, 3, 10, 14});
  CHECK(inferred(b, b.op("Upsample", {x, scales})) == Shape{1, 3, 10, 3});
  CHECK(inferred(b, b.op("Resize", {x}, {{"scales", floats_attr({2, 3})}})) == Shape{1, 3, 10, 21});
}

TEST_CASE("Softmax, ReduceMean, Shape, Gather, Cast, ConstantOfShape, Expand, Range") {
  GraphBuilder b;
  const int x = b.input("x", {2, 8, 5, 5});
  CHECK(inferred(b, b.op("Softmax", {x}, {{"axis", int_attr(1)}})) == Shape{2, 8, 5, 5});
  CHECK(inferred(b, b.op("ReduceMean", {x}, {{"axes", ints_attr({2, 3})}})) == Shape{2, 8, 1, 1});
  CHECK(inferred(b, b.op("ReduceMean", {x}, {{"axes", ints_attr({-1})}, {"keepdims", int_attr(0)}})) == Shape{2, 8, 5});
  const int shape = b.op("Shape", {x});
  CHECK(inferred(b, shape) == Shape{4});
  CHECK(b.g.values[static_cast<size_t>(shape)].dtype == DType::kI64);
  CHECK(inferred(b, b.op("Shape", {x}, {{"start", int_attr(1)}, {"end", int_attr(-1)}})) == Shape{2});
  const int scalar_index = b.g.add_constant("i0", TensorData::from_ints({}, {1}));
  CHECK(inferred(b, b.op("Gather", {x, scalar_index}, {{"axis", int_attr(1)}})) == Shape{2, 5, 5});
  CHECK(inferred(b, b.op("Gather", {x, b.ints("idx", {0, 1, 1})}, {{"axis", int_attr(-1)}})) == Shape{2, 8, 5, 3});

  const int filled = b.op("ConstantOfShape", {b.ints("dims", {2, 3})}, {{"value", int_attr(7)}});
  CHECK(inferred(b, filled) == Shape{2, 3});
  CHECK(b.g.values[static_cast<size_t>(filled)].dtype == DType::kI64);

  const int col = b.input("col", {3, 1});
  CHECK(inferred(b, b.op("Expand", {col, b.ints("to", {2, 1, 4})})) == Shape{2, 3, 4});

  const int r = b.op("Range", {b.g.add_constant("s", TensorData::from_ints({}, {0})),
                               b.g.add_constant("l", TensorData::from_ints({}, {10})),
                               b.g.add_constant("d", TensorData::from_ints({}, {3}))});
  CHECK(inferred(b, r) == Shape{4});
  CHECK(inferred(b, b.op("Range", {b.scalar("fs", 1.0f), b.scalar("fl", 2.0f), b.scalar("fd", 0.25f)})) == Shape{4});
}

TEST_CASE("Identity, Dropout, BatchNormalization, Clip and the canonical extras") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4, 3, 3});
  CHECK(inferred(b, b.op("Identity", {x})) == Shape{1, 4, 3, 3});
  const auto dropout = b.node("Dropout", {x}, 2);
  infer_shapes(b.g);
  CHECK(*b.g.values[static_cast<size_t>(dropout[1])].shape == Shape{1, 4, 3, 3});
  CHECK(b.g.values[static_cast<size_t>(dropout[1])].dtype == DType::kBool);
  const int p = b.floats("p", {4}, {1, 1, 1, 1});
  CHECK(inferred(b, b.op("BatchNormalization", {x, p, p, p, p})) == Shape{1, 4, 3, 3});
  CHECK(inferred(b, b.op("Clip", {x}, {{"min", float_attr(0)}, {"max", float_attr(6)}})) == Shape{1, 4, 3, 3});
  CHECK(inferred(b, b.op("SiLU", {x})) == Shape{1, 4, 3, 3});
  CHECK(inferred(b, b.op("HardSwish", {x})) == Shape{1, 4, 3, 3});
  CHECK(inferred(b, b.op("ChannelShuffle", {x}, {{"group", int_attr(2)}})) == Shape{1, 4, 3, 3});

  GraphBuilder bn;
  const int x2 = bn.input("x", {1, 4, 3, 3});
  const int p3 = bn.floats("p3", {3}, {1, 1, 1});
  bn.op("BatchNormalization", {x2, p3, p3, p3, p3}, {}, "bn");
  CHECK(inference_error(bn).find("expected [4]") != std::string::npos);

  GraphBuilder shuffle;
  const int x3 = shuffle.input("x", {1, 6, 3, 3});
  shuffle.op("ChannelShuffle", {x3}, {{"group", int_attr(4)}}, "cs");
  CHECK(inference_error(shuffle).find("node 'cs' (ChannelShuffle)") != std::string::npos);
}

TEST_CASE("unknown ops leave their outputs (and what follows) unknown") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3});
  const int odd = b.op("SomeCustomOp", {x});
  const int after = b.op("Relu", {odd});
  CHECK_NOTHROW(infer_shapes(b.g));
  CHECK_FALSE(b.g.values[static_cast<size_t>(odd)].shape.has_value());
  CHECK_FALSE(b.g.values[static_cast<size_t>(after)].shape.has_value());
}

TEST_CASE("a declared output shape contradicting the inputs is an error; repeated inference changes nothing") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3});
  const int y = b.op("Relu", {x}, {}, "relu");
  b.g.values[static_cast<size_t>(y)].shape = Shape{1, 4};
  CHECK(inference_error(b).find("is declared [1,4] but the inputs give [1,3]") != std::string::npos);

  GraphBuilder ok;
  const int a = ok.input("a", {2, 2});
  ok.op("Relu", {ok.op("Sigmoid", {a})});
  CHECK(infer_shapes(ok.g) == 2);
  CHECK(infer_shapes(ok.g) == 0);
}

TEST_CASE("hostile attributes and sizes give errors, not overflow") {
  GraphBuilder pads;
  const int x = pads.input("x", {1, 1, 4, 4});
  const int w = pads.floats("w", {1, 1, 1, 1}, {1});
  pads.op("Conv", {x, w}, {{"pads", ints_attr({kMax, 0, 0, 0})}}, "conv");
  CHECK(inference_error(pads).find("attribute 'pads' value") != std::string::npos);

  GraphBuilder strides;
  const int x2 = strides.input("x", {1, 1, 4, 4});
  strides.op("MaxPool", {x2}, {{"kernel_shape", ints_attr({2, 2})}, {"strides", ints_attr({0, 1})}}, "pool");
  CHECK(inference_error(strides).find("attribute 'strides' value 0") != std::string::npos);

  GraphBuilder tile;
  const int t = tile.input("t", {1 << 30});
  tile.op("Tile", {t, tile.ints("reps", {int64_t{1} << 40})}, {}, "tile");
  CHECK(inference_error(tile).find("node 'tile' (Tile)") != std::string::npos);

  GraphBuilder huge;
  huge.op("ConstantOfShape", {huge.ints("dims", {int64_t{1} << 30, int64_t{1} << 30})}, {}, "fill");
  CHECK(inference_error(huge).find("more than 2^48") != std::string::npos);

  GraphBuilder slice;
  const int s = slice.input("s", {5});
  const int y = slice.op(
      "Slice", {s, slice.ints("a", {kMax}), slice.ints("b", {kMin}), slice.ints("c", {0}), slice.ints("d", {kMin})});
  CHECK(inferred(slice, y) == Shape{1});  // start clamps to 4, one step past the front
}
