// validate(): structural problems always, op_set.h contract with require_canonical.
#include <doctest/doctest.h>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

namespace {

bool reports(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  return all;
}

Attrs conv_attrs() {
  return {{"kernel_shape", ints_attr({3, 3})},
          {"strides", ints_attr({1, 1})},
          {"dilations", ints_attr({1, 1})},
          {"pads", ints_attr({1, 1, 1, 1})},
          {"group", int_attr(1)}};
}

// A small canonical graph: Conv(+Relu) -> MaxPool -> Reshape -> FullyConnected -> Softmax.
GraphBuilder canonical_graph() {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  Attrs conv = conv_attrs();
  conv["activation"] = str_attr("Relu");
  const int c =
      b.op("Conv", {x, b.floats("w", {4, 3, 3, 3}, std::vector<float>(108)), b.floats("b", {4}, {0, 0, 0, 0})}, conv,
           "conv");
  const int p = b.op("MaxPool", {c},
                     {{"kernel_shape", ints_attr({2, 2})},
                      {"strides", ints_attr({2, 2})},
                      {"dilations", ints_attr({1, 1})},
                      {"pads", ints_attr({0, 0, 0, 0})}},
                     "pool");
  const int r = b.op("Reshape", {p}, {}, "flatten");
  b.g.values[static_cast<size_t>(r)].shape = Shape{1, 64};
  const int fc = b.op("FullyConnected", {r, b.floats("fw", {10, 64}, std::vector<float>(640))}, {}, "fc");
  b.output(b.op("Softmax", {fc}, {{"axis", int_attr(1)}}, "softmax"));
  infer_shapes(b.g);
  return b;
}

}  // namespace

TEST_CASE("a complete canonical graph validates cleanly") {
  GraphBuilder b = canonical_graph();
  const auto problems = validate(b.g, true);
  CHECK_MESSAGE(problems.empty(), joined(problems));
  CHECK(validate(b.g, false).empty());
}

TEST_CASE("structure: use before definition, undefined values, double producers, unknown shapes, missing outputs") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int a = b.op("Relu", {x}, {}, "a");
  b.op("Sigmoid", {a}, {}, "s");
  std::swap(b.g.nodes[0], b.g.nodes[1]);
  Value ghost;
  ghost.name = "ghost";
  const int gid = b.g.add_value(ghost);
  const int t = b.op("Tanh", {gid}, {}, "t");
  b.g.nodes.back().outputs = {a};  // a second producer of 'a_out'
  Value never;
  never.name = "never";
  b.output(b.g.add_value(never));
  (void)t;
  const auto problems = validate(b.g, false);
  CHECK(reports(problems, "node 's' (Sigmoid): input 'a_out' is used before it is defined"));
  CHECK(reports(problems, "node 't' (Tanh): input 'ghost' is never defined"));
  CHECK(reports(problems, "node 't' (Tanh): output 'a_out' is already defined"));
  CHECK(reports(problems, "node 's' (Sigmoid): output 's_out' has an unknown shape"));
  CHECK(reports(problems, "graph output 'never' is never produced"));
}

TEST_CASE("weights must be constant in every dialect; constants must match their declaration") {
  GraphBuilder b;
  const int x = b.input("x", {1, 3, 8, 8});
  const int w = b.input("w", {4, 3, 3, 3});
  b.output(b.op("Conv", {x, w}, {}, "conv"));
  infer_shapes(b.g);
  CHECK(reports(validate(b.g, false), "node 'conv' (Conv): weight 'w' must be constant"));

  GraphBuilder c = canonical_graph();
  c.g.values[static_cast<size_t>(c.g.find_value("b"))].shape = Shape{5};
  CHECK(reports(validate(c.g, false), "constant 'b' is declared float32 [5] but holds float32 [4]"));
}

TEST_CASE("require_canonical reports auxiliary ops and ONNX parameter inputs") {
  GraphBuilder b;
  const int x = b.input("x", {1, 4});
  const int s = b.op("Shape", {x}, {}, "shape");
  b.output(s);
  const int clip = b.op("Clip", {x, b.scalar("lo", 0), b.scalar("hi", 6)}, {}, "clip");
  b.output(clip);
  infer_shapes(b.g);
  CHECK(validate(b.g, false).empty());
  const auto problems = validate(b.g, true);
  CHECK(reports(problems, "node 'shape' (Shape): 'Shape' is not in the canonical op set"));
  CHECK(reports(problems, "node 'clip' (Clip): has 3 inputs, expected 1 (parameters must be attributes"));
  CHECK(reports(problems, "node 'clip' (Clip): attribute 'min' is missing"));
}

TEST_CASE("require_canonical checks attribute presence, types and ranges") {
  GraphBuilder b = canonical_graph();
  Node& conv = b.g.nodes[0];
  conv.attrs.erase("kernel_shape");
  conv.attrs["strides"] = ints_attr({1, 1, 1});
  conv.attrs["activation"] = str_attr("Clip");
  Node& softmax = b.g.nodes.back();
  softmax.attrs["axis"] = int_attr(-1);
  Node& pool = b.g.nodes[1];
  pool.attrs["pads"] = ints_attr({0, -1, 0, 0});
  pool.attrs["dilations"] = float_attr(1.0);
  const auto problems = validate(b.g, true);
  CHECK(reports(problems, "node 'conv' (Conv): attribute 'kernel_shape' is missing"));
  CHECK(reports(problems, "node 'conv' (Conv): attribute 'strides' must have 2 entries, got 3"));
  CHECK(reports(problems, "node 'conv' (Conv): activation Clip needs act_min and act_max"));
  CHECK(reports(problems, "node 'softmax' (Softmax): attribute 'axis' value -1 is outside [0, 1]"));
  CHECK(reports(problems, "node 'pool' (MaxPool): attribute 'pads' value -1 must be >= 0"));
  CHECK(reports(problems, "node 'pool' (MaxPool): attribute 'dilations' must be an integer list"));
  // The same ONNX-style Softmax is fine outside the canonical contract.
  CHECK_FALSE(reports(validate(b.g, false), "softmax"));
}

TEST_CASE("require_canonical checks shapes against attributes") {
  GraphBuilder b;
  const int x = b.input("x", {1, 6, 4, 4});
  b.output(b.op("ChannelShuffle", {x}, {{"group", int_attr(4)}}, "shuffle"));
  const int t = b.op("Transpose", {x}, {{"perm", ints_attr({0, 1, 1, 3})}}, "transpose");
  b.output(t);
  b.g.values[static_cast<size_t>(t)].shape = Shape{1, 6, 4, 4};
  b.g.values[static_cast<size_t>(b.g.outputs[0])].shape = Shape{1, 6, 4, 4};
  const auto problems = validate(b.g, true);
  CHECK(reports(problems, "node 'shuffle' (ChannelShuffle): group 4 does not divide the channels"));
  CHECK(reports(problems, "node 'transpose' (Transpose): perm [0,1,1,3] is not a permutation"));
}

TEST_CASE("Sqrt and the run-time MatMul: operands computed at run time, ranks 2..4, shapes that multiply") {
  GraphBuilder good;
  const int q = good.input("q", {1, 2, 4, 3});
  const int k = good.input("k", {2, 3, 5});
  const int mm = good.op("MatMul", {q, k}, {}, "scores");
  good.output(good.op("Sqrt", {mm}, {}, "root"));
  infer_shapes(good.g);
  const auto clean = validate(good.g, true);
  CHECK_MESSAGE(clean.empty(), joined(clean));

  GraphBuilder b;
  const int x = b.input("x", {4, 3});
  const int w = b.floats("w", {3, 2}, std::vector<float>(6));
  const int y = b.op("MatMul", {x, w}, {}, "constant_b");
  b.output(y);
  const int v = b.input("v", {3});
  const int z = b.op("MatMul", {v, b.input("m", {3, 2})}, {}, "vector");
  b.output(z);
  const int p = b.op("MatMul", {b.input("p", {2, 4, 3}), b.input("r", {3, 3, 5})}, {}, "batches");
  b.output(p);
  b.g.values[static_cast<size_t>(y)].shape = Shape{4, 2};
  b.g.values[static_cast<size_t>(z)].shape = Shape{2};
  b.g.values[static_cast<size_t>(p)].shape = Shape{2, 4, 5};
  const auto problems = validate(b.g, true);
  CHECK(reports(problems, "node 'constant_b' (MatMul): B 'w' must be computed at run time"));
  CHECK(reports(problems, "node 'vector' (MatMul): operands must have rank 2 to 4, got [3]"));
  CHECK(reports(problems, "node 'batches' (MatMul): the batch dimensions of A [2,4,3] and B [3,3,5] do not broadcast"));
}
