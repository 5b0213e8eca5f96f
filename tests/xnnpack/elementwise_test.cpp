// Binary operators, activations, SQRT, SOFTMAX and BATCH_NORM on XNNPACK vs
// the reference backend.
#include <cmath>
#include <string>

#include "xnnpack/xnnpack_test_util.h"

namespace bespoke::test {
namespace {

struct BinaryCase {
  std::string name;
  std::vector<int32_t> a, b, out;
  bool b_constant = false;
  bool a_constant = false;
};

void build_binary(OpCase& t, fb::OpCode code, const BinaryCase& c, fb::FusedActivation activation) {
  // DIV divides by values kept away from zero.
  const bool divisor = code == fb::OpCode::DIV;
  const int a = c.a_constant ? t.constant(c.a) : t.input(c.a);
  const int b = c.b_constant ? (divisor ? t.constant(c.b, 0.5f, 2.0f) : t.constant(c.b))
                             : (divisor ? t.input(c.b, 0.5f, 2.0f) : t.input(c.b));
  const int y = t.output(c.out);
  t.op(code, {a, b}, {y}, fb::OperatorOptions::BinaryOptions, fb::CreateBinaryOptions(t.fbb(), &activation).Union());
}

const BinaryCase kBinaryCases[] = {
    {"same rank-4 shape", {2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}},
    {"per-channel [C, 1, 1] operand", {2, 3, 4, 5}, {3, 1, 1}, {2, 3, 4, 5}},
    {"[1, C, 1, 1] operand on the left", {1, 3, 1, 1}, {2, 3, 4, 5}, {2, 3, 4, 5}},
    {"both operands broadcast", {2, 1, 4, 1}, {1, 3, 1, 5}, {2, 3, 4, 5}},
    {"scalar constant", {2, 3, 4, 5}, {}, {2, 3, 4, 5}, true},
    {"constant [W] row, reordered into NHWC by the kernel", {2, 3, 4, 5}, {5}, {2, 3, 4, 5}, true},
    {"constant rank-4 operand", {1, 3, 4, 5}, {1, 3, 4, 5}, {1, 3, 4, 5}, true},
    {"constant on the left", {3, 4, 1}, {2, 3, 4, 5}, {2, 3, 4, 5}, false, true},
    {"2-D", {6, 7}, {1, 7}, {6, 7}},
    {"5-D", {2, 1, 3, 2, 4}, {2, 2, 1, 2, 1}, {2, 2, 3, 2, 4}},
};

TEST_CASE("xnnpack ADD, SUB, MUL, DIV match the reference") {
  const fb::OpCode codes[] = {fb::OpCode::ADD, fb::OpCode::SUB, fb::OpCode::MUL, fb::OpCode::DIV};
  for (fb::OpCode code : codes) {
    for (const BinaryCase& c : kBinaryCases) {
      SUBCASE((std::string(fb::EnumNameOpCode(code)) + ": " + c.name).c_str()) {
        OpCase t;
        build_binary(t, code, c, no_activation());
        t.check_matches_reference();
      }
    }
  }
}

TEST_CASE("xnnpack binary operators apply the fused activation") {
  SUBCASE("ADD + RELU") {
    OpCase t;
    build_binary(t, fb::OpCode::ADD, kBinaryCases[1], relu_activation());
    t.check_matches_reference();
  }
  SUBCASE("MUL + CLIP") {
    OpCase t;
    build_binary(t, fb::OpCode::MUL, kBinaryCases[0], clip_activation(-0.25f, 0.1f));
    t.check_matches_reference();
  }
}

TEST_CASE("xnnpack binary operators accept a plain operand whose order NHWC does not change") {
  // [W] aligns to [1, 1, 1, W]: with C == 1, NHWC and NCHW orders coincide.
  OpCase t;
  build_binary(t, fb::OpCode::MUL, {"", {2, 3, 4, 5}, {5}, {2, 3, 4, 5}}, no_activation());
  t.check_matches_reference();
}

TEST_CASE("xnnpack binary operators refuse an activation operand stored in another order") {
  // A rank-3 [C, H, 1] activation is stored plain (C outermost), but the
  // rank-4 output is NHWC (C innermost). A constant of that shape is fine:
  // the kernel reorders it once.
  OpCase t;
  build_binary(t, fb::OpCode::ADD, {"", {2, 3, 4, 5}, {3, 4, 1}, {2, 3, 4, 5}}, no_activation());
  CHECK_FALSE(t.xnnpack_supports());
}

void build_unary(OpCase& t, fb::OpCode code, const std::vector<int32_t>& shape, float low, float high,
                 fb::OperatorOptions type = fb::OperatorOptions::NONE, flatbuffers::Offset<void> options = 0) {
  const int x = t.input(shape, low, high);
  const int y = t.output(shape);
  t.op(code, {x}, {y}, type, options);
}

const std::vector<int32_t> kUnaryShapes[] = {{2, 3, 5, 7}, {1000}, {3, 17}};

TEST_CASE("xnnpack activations match the reference") {
  for (const std::vector<int32_t>& shape : kUnaryShapes) {
    SUBCASE("RELU") {
      OpCase t;
      build_unary(t, fb::OpCode::RELU, shape, -2.0f, 2.0f);
      t.check_matches_reference();
    }
    SUBCASE("CLIP") {
      OpCase t;
      build_unary(t, fb::OpCode::CLIP, shape, -8.0f, 8.0f, fb::OperatorOptions::ClipOptions,
                  fb::CreateClipOptions(t.fbb(), 0.0f, 6.0f).Union());
      t.check_matches_reference();
    }
    SUBCASE("LEAKY_RELU") {
      OpCase t;
      build_unary(t, fb::OpCode::LEAKY_RELU, shape, -2.0f, 2.0f, fb::OperatorOptions::LeakyReluOptions,
                  fb::CreateLeakyReluOptions(t.fbb(), 0.1f).Union());
      t.check_matches_reference();
    }
    SUBCASE("SIGMOID") {
      OpCase t;
      build_unary(t, fb::OpCode::SIGMOID, shape, -10.0f, 10.0f);
      t.check_matches_reference();
    }
    SUBCASE("HARD_SWISH") {
      OpCase t;
      build_unary(t, fb::OpCode::HARD_SWISH, shape, -5.0f, 5.0f);
      t.check_matches_reference();
    }
    SUBCASE("HARD_SIGMOID") {
      OpCase t;
      build_unary(t, fb::OpCode::HARD_SIGMOID, shape, -5.0f, 5.0f, fb::OperatorOptions::HardSigmoidOptions,
                  fb::CreateHardSigmoidOptions(t.fbb(), 1.0f / 6.0f, 0.5f).Union());
      t.check_matches_reference();
    }
    SUBCASE("SILU") {
      OpCase t;
      build_unary(t, fb::OpCode::SILU, shape, -8.0f, 8.0f);
      t.check_matches_reference();
    }
    SUBCASE("SQRT") {
      // Non-negative here: NaN != NaN would fail the 1- vs 2-thread equality.
      OpCase t;
      build_unary(t, fb::OpCode::SQRT, shape, 0.0f, 100.0f);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack SQRT gives NaN for negative inputs") {
  OpCase t;
  const int x = t.input_values({6}, {-1.0f, -0.5f, 0.0f, 0.25f, 4.0f, 1e30f});
  const int y = t.output({6});
  t.op(fb::OpCode::SQRT, {x}, {y});
  REQUIRE(t.xnnpack_supports());
  const std::vector<float> out = t.run_xnnpack()[0];
  CHECK(std::isnan(out[0]));
  CHECK(std::isnan(out[1]));
  check_close({out[2], out[3], out[4], out[5]}, {0.0f, 0.5f, 2.0f, 1e15f});
}

TEST_CASE("xnnpack leaves BATCH_MATMUL to the reference backend") {
  OpCase t;
  const int a = t.input({2, 3, 4});
  const int b = t.input({4, 5});
  const int y = t.output({2, 3, 5});
  t.op(fb::OpCode::BATCH_MATMUL, {a, b}, {y});
  CHECK_FALSE(t.xnnpack_supports());
}

TEST_CASE("xnnpack refuses activations it cannot run exactly") {
  SUBCASE("TANH (no XNNPACK operator)") {
    OpCase t;
    build_unary(t, fb::OpCode::TANH, {2, 3}, -1.0f, 1.0f);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("CLIP with min == max") {
    OpCase t;
    build_unary(t, fb::OpCode::CLIP, {2, 3}, -1.0f, 1.0f, fb::OperatorOptions::ClipOptions,
                fb::CreateClipOptions(t.fbb(), 0.5f, 0.5f).Union());
    CHECK_FALSE(t.xnnpack_supports());
  }
}

void build_softmax(OpCase& t, const std::vector<int32_t>& shape, int axis) {
  build_unary(t, fb::OpCode::SOFTMAX, shape, -5.0f, 5.0f, fb::OperatorOptions::SoftmaxOptions,
              fb::CreateSoftmaxOptions(t.fbb(), axis).Union());
}

TEST_CASE("xnnpack SOFTMAX matches the reference on the innermost stored axis") {
  SUBCASE("last axis of a 2-D tensor") {
    OpCase t;
    build_softmax(t, {4, 1000}, 1);
    t.check_matches_reference();
  }
  SUBCASE("channel axis of NCHW (innermost in NHWC)") {
    OpCase t;
    build_softmax(t, {2, 10, 3, 4}, 1);
    t.check_matches_reference();
  }
  SUBCASE("axis followed only by size-1 dims") {
    OpCase t;
    build_softmax(t, {3, 7, 1}, 1);
    t.check_matches_reference();
  }
  SUBCASE("W of NCHW is not innermost in NHWC") {
    OpCase t;
    build_softmax(t, {2, 10, 3, 4}, 3);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("first axis of a 2-D tensor") {
    OpCase t;
    build_softmax(t, {4, 5}, 0);
    CHECK_FALSE(t.xnnpack_supports());
  }
}

TEST_CASE("xnnpack BATCH_NORM matches the reference") {
  for (const std::vector<int32_t>& shape :
       {std::vector<int32_t>{2, 5, 4, 3}, std::vector<int32_t>{6, 5}, std::vector<int32_t>{2, 5, 7}}) {
    OpCase t;
    const int c = shape[1];
    // Inputs far from zero with a large mean: the kernel must subtract first.
    const int x = t.input(shape, 90.0f, 110.0f);
    const int scale = t.constant({c}, 0.5f, 2.0f);
    const int bias = t.constant({c});
    const int mean = t.constant({c}, 95.0f, 105.0f);
    const int var = t.constant({c}, 0.5f, 4.0f);
    const int y = t.output(shape);
    t.op(fb::OpCode::BATCH_NORM, {x, scale, bias, mean, var}, {y}, fb::OperatorOptions::BatchNormOptions,
         fb::CreateBatchNormOptions(t.fbb(), 1e-5f).Union());
    t.check_matches_reference();
  }
}

}  // namespace
}  // namespace bespoke::test
