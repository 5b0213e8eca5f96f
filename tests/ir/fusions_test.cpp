// SiLU, HardSwish, fused activation and ChannelShuffle rewrites.
#include <doctest/doctest.h>

#include <limits>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

using Ops = std::vector<std::string>;

TEST_CASE("fuse_silu: x * Sigmoid(x) in either operand order") {
  for (bool sigmoid_first : {false, true}) {
    GraphBuilder b;
    const int x = b.input("x", {1, 4});
    const int s = b.op("Sigmoid", {x});
    const int y = b.op("Mul", sigmoid_first ? std::vector<int>{s, x} : std::vector<int>{x, s}, {}, "swish");
    b.output(y);
    CHECK(fuse_silu(b.g) == 1);
    REQUIRE(op_sequence(b.g) == Ops{"SiLU"});
    CHECK(b.g.nodes[0].name == "swish");
    CHECK(b.g.nodes[0].inputs == std::vector<int>{x});
    CHECK(b.g.nodes[0].outputs == std::vector<int>{y});
  }
}

TEST_CASE("fuse_silu leaves x * Sigmoid(z) and a Sigmoid with other readers alone") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int z = b.input("z", {1, 4});
  b.output(b.op("Mul", {x, b.op("Sigmoid", {z})}));
  const int shared = b.op("Sigmoid", {x});
  b.output(b.op("Mul", {x, shared}));
  b.output(shared);
  CHECK(fuse_silu(b.g) == 0);
}

TEST_CASE("fuse_hard_swish: HardSigmoid form and the Relu6 arithmetic forms") {
  SUBCASE("x * HardSigmoid(x, 1/6, 0.5)") {
    GraphBuilder b;
    const int x = b.input("x", {1, 8});
    const int h = b.op("HardSigmoid", {x}, {{"alpha", float_attr(0.1666666716337204)}, {"beta", float_attr(0.5)}});
    b.output(b.op("Mul", {x, h}));
    CHECK(fuse_hard_swish(b.g) == 1);
    CHECK(op_sequence(b.g) == Ops{"HardSwish"});
    CHECK(b.g.nodes[0].inputs == std::vector<int>{x});
  }
  SUBCASE("default HardSigmoid (alpha 0.2) is not HardSwish") {
    GraphBuilder b;
    const int x = b.input("x", {1, 8});
    b.output(b.op("Mul", {x, b.op("HardSigmoid", {x})}));
    CHECK(fuse_hard_swish(b.g) == 0);
  }
  SUBCASE("x * Relu6(x + 3) / 6 with Clip inputs (opset 11+)") {
    GraphBuilder b;
    const int x = b.input("x", {1, 8});
    const int add = b.op("Add", {x, b.scalar("three", 3)});
    const int relu6 = b.op("Clip", {add, b.scalar("zero", 0), b.scalar("six", 6)});
    const int y = b.op("Div", {b.op("Mul", {x, relu6}), b.scalar("six_d", 6)}, {}, "hswish");
    b.output(y);
    CHECK(fuse_hard_swish(b.g) == 1);
    REQUIRE(op_sequence(b.g) == Ops{"HardSwish"});
    CHECK(b.g.nodes[0].name == "hswish");
    CHECK(b.g.nodes[0].inputs == std::vector<int>{x});
    CHECK(b.g.nodes[0].outputs == std::vector<int>{y});
  }
  SUBCASE("x * (Relu6(3 + x) * 1/6) with Clip attributes") {
    GraphBuilder b;
    const int x = b.input("x", {1, 8});
    const int add = b.op("Add", {b.scalar("three", 3), x});
    const int relu6 = b.op("Clip", {add}, {{"min", float_attr(0)}, {"max", float_attr(6)}});
    const int hsig = b.op("Mul", {relu6, b.scalar("sixth", 1.0f / 6.0f)});
    b.output(b.op("Mul", {hsig, x}));
    CHECK(fuse_hard_swish(b.g) == 1);
    CHECK(op_sequence(b.g) == Ops{"HardSwish"});
  }
  SUBCASE("Relu6(x + 3) with a second reader is kept") {
    GraphBuilder b;
    const int x = b.input("x", {1, 8});
    const int relu6 =
        b.op("Clip", {b.op("Add", {x, b.scalar("three", 3)})}, {{"min", float_attr(0)}, {"max", float_attr(6)}});
    b.output(b.op("Div", {b.op("Mul", {x, relu6}), b.scalar("six", 6)}));
    b.output(relu6);
    CHECK(fuse_hard_swish(b.g) == 0);
  }
}

TEST_CASE("fuse_activation: Relu and Clip into Conv / FullyConnected / Add") {
  GraphBuilder b;
  const int x = b.input("x", {1, 2, 4, 4});
  const int w = b.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
  const int conv = b.op("Conv", {x, w}, {}, "conv");
  const int relu = b.op("Relu", {conv});
  const int sum = b.op("Add", {relu, x}, {}, "add");
  const int clip = b.op("Clip", {sum, b.scalar("lo", 0), b.scalar("hi", 6)});
  const int fw = b.floats("fw", {3, 32}, std::vector<float>(96, 0.f));
  const int flat = b.op("Flatten", {clip});
  const int fc = b.op("FullyConnected", {flat, fw}, {}, "fc");
  const int fc_clip = b.op("Clip", {fc}, {{"min", float_attr(-1)}, {"max", float_attr(1)}});
  b.output(fc_clip);

  CHECK(fuse_activation(b.g) == 3);
  REQUIRE(op_sequence(b.g) == Ops{"Conv", "Add", "Flatten", "FullyConnected"});
  const Node& c = b.g.nodes[0];
  CHECK(c.get_string("activation", "") == "Relu");
  CHECK(c.outputs[0] == relu);
  const Node& a = b.g.nodes[1];
  CHECK(a.inputs[0] == relu);
  CHECK(a.get_string("activation", "") == "Clip");
  CHECK(a.get_float("act_min", -1) == 0.0);
  CHECK(a.get_float("act_max", -1) == 6.0);
  CHECK(a.outputs[0] == clip);
  CHECK(b.g.nodes[3].get_float("act_min", 0) == -1.0);
  CHECK(b.g.nodes[3].outputs[0] == fc_clip);
}

TEST_CASE("fuse_activation: Clip without max uses the float maximum; no fusion across shared or output values") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int y = b.input("y", {1, 4});
  b.output(b.op("Clip", {b.op("Sub", {x, y})}, {{"min", float_attr(0)}}));
  CHECK(fuse_activation(b.g) == 1);
  CHECK(b.g.nodes[0].get_float("act_max", 0) == static_cast<double>(std::numeric_limits<float>::max()));

  GraphBuilder shared;
  const int p = shared.input("p", {1, 4});
  const int sum = shared.op("Add", {p, p});
  shared.output(shared.op("Relu", {sum}));
  shared.output(shared.op("Sigmoid", {sum}));
  CHECK(fuse_activation(shared.g) == 0);

  GraphBuilder exposed;
  const int q = exposed.input("q", {1, 4});
  const int prod = exposed.op("Mul", {q, q});
  exposed.output(prod);
  exposed.output(exposed.op("Relu", {prod}));
  CHECK(fuse_activation(exposed.g) == 0);

  GraphBuilder other;
  const int r = other.input("r", {1, 4});
  other.output(other.op("Relu", {other.op("Sigmoid", {r})}));
  CHECK(fuse_activation(other.g) == 0);
}

TEST_CASE("fuse_channel_shuffle: Reshape -> Transpose -> Reshape, ONNX and canonical Reshapes") {
  for (bool canonical : {false, true}) {
    CAPTURE(canonical);
    GraphBuilder b;
    const int x = b.input("x", {1, 6, 4, 4});
    int grouped, back;
    if (canonical) {
      grouped = b.op("Reshape", {x});
      b.g.values[static_cast<size_t>(grouped)].shape = Shape{1, 3, 2, 4, 4};
    } else {
      grouped = b.op("Reshape", {x, b.ints("s1", {1, 3, 2, 4, 4})});
    }
    const int t = b.op("Transpose", {grouped}, {{"perm", ints_attr({0, 2, 1, 3, 4})}});
    if (canonical) {
      back = b.op("Reshape", {t}, {}, "shuffle");
      b.g.values[static_cast<size_t>(back)].shape = Shape{1, 6, 4, 4};
    } else {
      back = b.op("Reshape", {t, b.ints("s2", {1, -1, 4, 4})}, {}, "shuffle");
    }
    b.output(back);
    infer_shapes(b.g);
    CHECK(fuse_channel_shuffle(b.g) == 1);
    REQUIRE(op_sequence(b.g) == Ops{"ChannelShuffle"});
    const Node& n = b.g.nodes[0];
    CHECK(n.name == "shuffle");
    CHECK(n.get_int("group", 0) == 3);
    CHECK(n.inputs == std::vector<int>{x});
    CHECK(n.outputs == std::vector<int>{back});
  }
}

TEST_CASE("fuse_channel_shuffle ignores other transposes") {
  GraphBuilder b;
  const int x = b.input("x", {1, 6, 4, 4});
  const int grouped = b.op("Reshape", {x, b.ints("s1", {1, 3, 2, 4, 4})});
  const int t = b.op("Transpose", {grouped}, {{"perm", ints_attr({0, 1, 2, 4, 3})}});
  b.output(b.op("Reshape", {t, b.ints("s2", {1, 6, 4, 4})}));
  infer_shapes(b.g);
  CHECK(fuse_channel_shuffle(b.g) == 0);
}
