// Constant folding of shape arithmetic and small constant math.
#include <doctest/doctest.h>

#include <limits>

#include "ir/passes.h"
#include "support/graph_builder.h"

using namespace bespoke::ir;
using namespace bespoke::test;

using Ops = std::vector<std::string>;

namespace {

const Value& v(const Graph& g, int id) { return g.values[static_cast<size_t>(id)]; }

int scalar_int(GraphBuilder& b, const std::string& name, int64_t x) {
  return b.g.add_constant(name, TensorData::from_ints({}, {x}));
}

// Folds a graph whose only output is `y` and returns y's constant.
const Value& folded(GraphBuilder& b, int y) {
  b.output(y);
  fold_constants(b.g);
  REQUIRE_MESSAGE(v(b.g, y).is_constant(), "output was not folded");
  CHECK(b.g.nodes.empty());
  return v(b.g, y);
}

}  // namespace

TEST_CASE("folds PyTorch's x.view(x.size(0), -1) chain, opset 11 and opset 13 spellings") {
  for (bool opset13 : {false, true}) {
    CAPTURE(opset13);
    GraphBuilder b;
    const int x = b.input("x", {2, 3, 4, 5});
    const int shape = b.op("Shape", {x});
    const int n = b.op("Gather", {shape, scalar_int(b, "zero", 0)}, {{"axis", int_attr(0)}});
    const int n1 =
        opset13 ? b.op("Unsqueeze", {n, b.ints("axes", {0})}) : b.op("Unsqueeze", {n}, {{"axes", ints_attr({0})}});
    const int target = b.op("Concat", {n1, b.ints("minus_one", {-1})}, {{"axis", int_attr(0)}});
    const int y = b.op("Reshape", {x, target}, {}, "reshape");
    b.output(y);

    CHECK(fold_constants(b.g) == 4);
    REQUIRE(op_sequence(b.g) == std::vector<std::string>{"Reshape"});
    const Value& shape_value = v(b.g, b.g.nodes[0].inputs[1]);
    REQUIRE(shape_value.is_constant());
    CHECK(shape_value.dtype == DType::kI64);
    CHECK(constant_ints(shape_value) == std::vector<int64_t>{2, -1});
    CHECK(fold_constants(b.g) == 0);
    infer_shapes(b.g);
    CHECK(*v(b.g, y).shape == Shape{2, 60});
  }
}

TEST_CASE("folds Shape -> Slice -> Concat and the Equal / Where that resolve 0 entries") {
  GraphBuilder b;
  const int x = b.input("x", {1, 8, 7, 7});
  const int shape = b.op("Shape", {x});
  const int head = b.op("Slice", {shape, b.ints("s0", {0}), b.ints("e0", {2})});
  const int target =
      b.op("Concat",
           {b.ints("zero", {0}), b.op("Slice", {head, b.ints("s1", {1}), b.ints("e1", {2})}), b.ints("tail", {-1})},
           {{"axis", int_attr(0)}});
  const int is_zero = b.op("Equal", {target, b.ints("zeros", {0, 0, 0})});
  const int first3 = b.op("Slice", {shape, b.ints("s2", {0}), b.ints("e2", {3})});
  const int resolved = b.op("Where", {is_zero, first3, target});
  b.output(b.op("Reshape", {x, resolved}));
  fold_constants(b.g);
  REQUIRE(op_sequence(b.g) == std::vector<std::string>{"Reshape"});
  CHECK(constant_ints(v(b.g, b.g.nodes[0].inputs[1])) == std::vector<int64_t>{1, 8, -1});
}

TEST_CASE("Gather with negative and scalar indices; out-of-range indices are not folded") {
  GraphBuilder b;
  const int data = b.ints("data", {10, 20, 30, 40});
  CHECK(constant_ints(folded(b, b.op("Gather", {data, b.ints("idx", {-1, 0, 2})}))) ==
        std::vector<int64_t>{40, 10, 30});

  GraphBuilder matrix;
  const int m = matrix.floats("m", {2, 3}, {1, 2, 3, 4, 5, 6});
  const Value& col = folded(matrix, matrix.op("Gather", {m, scalar_int(matrix, "one", 1)}, {{"axis", int_attr(1)}}));
  CHECK(col.shape == Shape{2});
  CHECK(constant_floats(col) == std::vector<float>{2, 5});

  GraphBuilder bad;
  const int d = bad.ints("d", {1, 2});
  const int y = bad.op("Gather", {d, bad.ints("idx", {2})});
  bad.output(y);
  CHECK(fold_constants(bad.g) == 0);
  CHECK_FALSE(v(bad.g, y).is_constant());
}

TEST_CASE("Slice with negative steps and clamped huge bounds, Transpose, Concat of floats") {
  GraphBuilder b;
  const int data = b.ints("data", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  CHECK(constant_ints(folded(b, b.op("Slice", {data, b.ints("st", {-1}), b.ints("en", {lowest}), b.ints("ax", {0}),
                                               b.ints("sp", {-3})}))) == std::vector<int64_t>{9, 6, 3, 0});

  GraphBuilder t;
  const int m = t.floats("m", {2, 3}, {1, 2, 3, 4, 5, 6});
  const Value& mt = folded(t, t.op("Transpose", {m}, {{"perm", ints_attr({1, 0})}}));
  CHECK(mt.shape == Shape{3, 2});
  CHECK(constant_floats(mt) == std::vector<float>{1, 4, 2, 5, 3, 6});

  GraphBuilder c;
  const int a = c.floats("a", {2, 1}, {1, 2});
  const int d = c.floats("d", {2, 2}, {3, 4, 5, 6});
  CHECK(constant_floats(folded(c, c.op("Concat", {a, d}, {{"axis", int_attr(-1)}}))) ==
        std::vector<float>{1, 3, 4, 2, 5, 6});
}

TEST_CASE("arithmetic: broadcasting, integer division truncates, division by zero and overflow stay unfolded") {
  GraphBuilder b;
  const int a = b.ints("a", {7, -7, 9});
  CHECK(constant_ints(folded(b, b.op("Div", {a, scalar_int(b, "two", 2)}))) == std::vector<int64_t>{3, -3, 4});

  GraphBuilder f;
  const int x = f.floats("x", {2, 2}, {1, 2, 3, 4});
  const int row = f.floats("row", {2}, {10, 100});
  CHECK(constant_floats(folded(f, f.op("Mul", {f.op("Add", {x, row}), f.scalar("half", 0.5f)}))) ==
        std::vector<float>{5.5f, 51, 6.5f, 52});

  GraphBuilder zero;
  const int y = zero.op("Div", {zero.ints("n", {1}), zero.ints("z", {0})});
  zero.output(y);
  CHECK(fold_constants(zero.g) == 0);

  GraphBuilder overflow;
  const int big = overflow.ints("big", {std::numeric_limits<int64_t>::max()});
  overflow.output(overflow.op("Add", {big, overflow.ints("one", {1})}));
  CHECK(fold_constants(overflow.g) == 0);
}

TEST_CASE("Cast, unary math, ConstantOfShape, Range, Expand, Squeeze, Flatten, Identity") {
  GraphBuilder b;
  const int x = b.floats("x", {4}, {-1.5f, 2.7f, 3.0f, -0.2f});
  CHECK(constant_ints(folded(b, b.op("Cast", {x}, {{"to", int_attr(7)}}))) == std::vector<int64_t>{-1, 2, 3, 0});

  GraphBuilder u;
  const int y = u.floats("y", {3}, {-1.5f, 4.0f, 2.2f});
  CHECK(constant_floats(folded(u, u.op("Neg", {u.op("Floor", {y})}))) == std::vector<float>{2, -4, -2});

  GraphBuilder s;
  const int sq = s.floats("sq", {2}, {4, 9});
  CHECK(constant_floats(folded(s, s.op("Sqrt", {sq}))) == std::vector<float>{2, 3});

  GraphBuilder c;
  const Value& filled = folded(c, c.op("ConstantOfShape", {c.ints("dims", {2, 2})}, {{"value", float_attr(1.5)}}));
  CHECK(filled.shape == Shape{2, 2});
  CHECK(constant_floats(filled) == std::vector<float>{1.5f, 1.5f, 1.5f, 1.5f});

  GraphBuilder r;
  const int range = r.op("Range", {scalar_int(r, "s", 10), scalar_int(r, "l", 1), scalar_int(r, "d", -4)});
  CHECK(constant_ints(folded(r, range)) == std::vector<int64_t>{10, 6, 2});

  GraphBuilder e;
  const Value& expanded = folded(e, e.op("Expand", {e.ints("col", {1, 2}), e.ints("to", {2, 2})}));
  CHECK(constant_ints(expanded) == std::vector<int64_t>{1, 2, 1, 2});

  GraphBuilder m;
  const int w = m.floats("w", {1, 2, 1, 3}, {1, 2, 3, 4, 5, 6});
  const Value& flat =
      folded(m, m.op("Flatten", {m.op("Identity", {m.op("Squeeze", {w}, {{"axes", ints_attr({0})}})})}));
  CHECK(flat.shape == Shape{2, 3});
  CHECK(constant_floats(flat) == std::vector<float>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("folded tensors are bounded and non-foldable ops are left alone") {
  GraphBuilder b;
  const int huge = b.op("ConstantOfShape", {b.ints("dims", {5000, 5000})}, {{"value", float_attr(0)}});
  b.output(huge);
  CHECK(fold_constants(b.g) == 0);
  CHECK(b.g.nodes.size() == 1);

  GraphBuilder conv;
  const int x = conv.floats("x", {1, 1, 2, 2}, {1, 2, 3, 4});
  const int w = conv.floats("w", {1, 1, 1, 1}, {2});
  conv.output(conv.op("Conv", {x, w}));
  CHECK(fold_constants(conv.g) == 0);
}

TEST_CASE("one fold_constants call folds chains that wait on shapes of earlier folds") {
  GraphBuilder b;
  const int x = b.input("x", {2, 3, 4});
  int current = x;
  for (int stage = 0; stage < 3; ++stage) {  // each stage flattens the last two dims of a computed shape
    const std::string s = std::to_string(stage);
    const int shape = b.op("Shape", {current});
    const int first = b.op("Gather", {shape, b.ints("i" + s, {0})});
    const int target = b.op("Concat", {first, b.ints("rest" + s, {-1})}, {{"axis", int_attr(0)}});
    current = b.op("Relu", {b.op("Reshape", {current, target})});
  }
  b.output(current);
  CHECK(fold_constants(b.g) == 3 * 3);
  CHECK(op_sequence(b.g) == Ops{"Reshape", "Relu", "Reshape", "Relu", "Reshape", "Relu"});
  CHECK(*v(b.g, current).shape == Shape{2, 12});
}
