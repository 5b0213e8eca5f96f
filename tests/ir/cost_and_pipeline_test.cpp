// Cost model (hand-computed MACs/FLOPs) and the optimize_for_inference pipeline.
#include <doctest/doctest.h>

#include "ir/cost.h"
#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

using Ops = std::vector<std::string>;

TEST_CASE("node_cost and summarize on a small canonical graph") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  const int w = b.floats("w", {4, 3, 3, 3}, std::vector<float>(108));
  const int c = b.op("Conv", {x, w, b.floats("b", {4}, std::vector<float>(4))},
                     {{"pads", ints_attr({1, 1, 1, 1})}, {"activation", str_attr("Relu")}});
  const int p = b.op("MaxPool", {c}, {{"kernel_shape", ints_attr({2, 2})}, {"strides", ints_attr({2, 2})}});
  const int r = b.op("Reshape", {p, b.ints("to", {1, 64})});
  const int fc = b.op("FullyConnected", {r, b.floats("fw", {10, 64}, std::vector<float>(640))});
  b.output(b.op("Softmax", {fc}, {{"axis", int_attr(1)}}));
  infer_shapes(b.g);

  // Conv: N*M*OH*OW * (C/group)*kh*kw = 1*4*8*8 * 27 MACs; FLOPs add bias and activation per output.
  const NodeCost conv = node_cost(b.g, 0);
  CHECK(conv.macs == 6912);
  CHECK(conv.flops == 2 * 6912 + 256 + 256);
  CHECK(conv.params == 112);
  CHECK(node_cost(b.g, 1).flops == 64 * 4);  // 64 outputs x 2x2 window
  CHECK(node_cost(b.g, 2).flops == 0);
  CHECK(node_cost(b.g, 2).params == 0);  // int64 shape constant is not a parameter
  CHECK(node_cost(b.g, 3).macs == 640);
  CHECK(node_cost(b.g, 4).flops == 30);

  const GraphSummary s = summarize(b.g);
  CHECK(s.op_counts.at("Conv") == 1);
  CHECK(s.op_counts.size() == 5);
  CHECK(s.macs == 6912 + 640);
  CHECK(s.flops == (2 * 6912 + 512) + 256 + 0 + 2 * 640 + 30);
  CHECK(s.parameters == 108 + 4 + 640);
  CHECK(s.constants == 4);
  CHECK(s.weight_bytes == (108 + 4 + 640) * 4 + 2 * 8);
  CHECK(s.tensors == 10);
}

TEST_CASE("cost of grouped and transposed convolutions; shared weights count once") {
  GraphBuilder b;
  const int x = b.input("x", {1, 8, 10, 10});
  const int dw = b.floats("dw", {8, 1, 3, 3}, std::vector<float>(72));
  const int a = b.op("Conv", {x, dw}, {{"group", int_attr(8)}});
  const int again = b.op("Conv", {a, dw}, {{"group", int_attr(8)}});
  const int up = b.op("ConvTranspose", {again, b.floats("tw", {8, 2, 3, 3}, std::vector<float>(144))},
                      {{"strides", ints_attr({2, 2})}});
  b.output(up);
  infer_shapes(b.g);
  CHECK(node_cost(b.g, 0).macs == 8 * 8 * 8 * 9);
  CHECK(node_cost(b.g, 1).macs == 8 * 6 * 6 * 9);
  CHECK(node_cost(b.g, 2).macs == 8 * 6 * 6 * (2 * 9));  // every input element scatters into M x k x k
  CHECK(summarize(b.g).parameters == 72 + 144);
}

TEST_CASE("cost of the run-time MatMul (2 * batch * M * K * N FLOPs) and Sqrt") {
  GraphBuilder b;
  const int q = b.input("q", {2, 1, 4, 5});
  const int k = b.input("k", {3, 5, 6});
  const int scores = b.op("MatMul", {q, k});
  b.output(b.op("Sqrt", {scores}));
  infer_shapes(b.g);
  const NodeCost mm = node_cost(b.g, 0);
  CHECK(mm.macs == 2 * 3 * 4 * 5 * 6);  // broadcast batch 2x3, M 4, K 5, N 6
  CHECK(mm.flops == 2 * (2 * 3) * 4 * 5 * 6);
  CHECK(mm.params == 0);
  CHECK(node_cost(b.g, 1).flops == 2 * 3 * 4 * 6);  // one per output element
}

TEST_CASE("optimize_for_inference cleans a PyTorch-style export to a fixed point") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  const int c1 = b.op("Conv", {x, b.floats("w1", {4, 3, 3, 3}, random_floats(108, 1))},
                      {{"pads", ints_attr({1, 1, 1, 1})}}, "conv1");
  const int bn = b.op("BatchNormalization", {c1, b.floats("g", {4}, {1, 2, 3, 4}), b.floats("be", {4}, {0, 0, 1, 1}),
                                             b.floats("m", {4}, {0, 1, 0, 1}), b.floats("v", {4}, {1, 1, 2, 2})});
  const int relu = b.op("Identity", {b.op("Relu", {bn})});
  const int c2 =
      b.op("Conv", {relu, b.floats("w2", {4, 4, 1, 1}, random_floats(16, 2)), b.floats("b2", {4}, {0, 0, 0, 0})}, {},
           "conv2");
  const int silu = b.op("Mul", {c2, b.op("Sigmoid", {c2})});
  const int pooled = b.op("GlobalAveragePool", {silu});
  const int shape = b.op("Shape", {pooled});
  const int n = b.op("Gather", {shape, b.g.add_constant("zero", TensorData::from_ints({}, {0}))});
  const int target = b.op("Concat", {b.op("Unsqueeze", {n}, {{"axes", ints_attr({0})}}), b.ints("rest", {-1})},
                          {{"axis", int_attr(0)}});
  const int flat = b.op("Reshape", {pooled, target});
  const int gemm =
      b.op("Gemm", {flat, b.floats("fw", {5, 4}, random_floats(20, 3)), b.floats("fb", {5}, random_floats(5, 4))},
           {{"transB", int_attr(1)}}, "fc");
  const int out = b.op("Dropout", {gemm}, {}, "dropout");
  b.output(out);
  b.op("Tanh", {x}, {}, "unused");

  optimize_for_inference(b.g);
  REQUIRE(op_sequence(b.g) == Ops{"Conv", "Conv", "SiLU", "GlobalAveragePool", "Reshape", "Gemm"});
  CHECK(b.g.nodes[0].get_string("activation", "") == "Relu");
  CHECK(b.g.nodes[0].inputs.size() == 3);  // BN became the bias
  CHECK(constant_ints(b.g.values[static_cast<size_t>(b.g.nodes[4].inputs[1])]) == std::vector<int64_t>{1, -1});
  REQUIRE(b.g.outputs.size() == 1);
  const Value& y = b.g.values[static_cast<size_t>(b.g.outputs[0])];
  CHECK(y.name == "dropout_out");
  CHECK(y.shape == Shape{1, 5});
  for (const Value& v : b.g.values) CHECK_MESSAGE(v.shape.has_value(), v.name);
  CHECK(validate(b.g, false).empty());

  const Ops before = op_sequence(b.g);
  optimize_for_inference(b.g);
  CHECK(op_sequence(b.g) == before);
}

TEST_CASE("the pipeline fuses HardSwish and ChannelShuffle patterns") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4, 2, 2});
  const int add = b.op("Add", {x, b.scalar("three", 3)});
  const int hs = b.op(
      "Div", {b.op("Mul", {x, b.op("Clip", {add, b.scalar("zero", 0), b.scalar("six", 6)})}), b.scalar("six_d", 6)});
  const int grouped = b.op("Reshape", {hs, b.ints("s1", {1, 2, 2, 2, 2})});
  const int t = b.op("Transpose", {grouped}, {{"perm", ints_attr({0, 2, 1, 3, 4})}});
  b.output(b.op("Reshape", {t, b.ints("s2", {1, 4, 2, 2})}));
  optimize_for_inference(b.g);
  CHECK(op_sequence(b.g) == Ops{"HardSwish", "ChannelShuffle"});
  CHECK(validate(b.g, true).empty());
}
