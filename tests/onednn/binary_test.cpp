// ADD, SUB, MUL, DIV on oneDNN against the reference backend, with numpy
// broadcasting between NHWC images and row-major tensors.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

const fb::OpCode kBinaryOps[] = {fb::OpCode::ADD, fb::OpCode::SUB, fb::OpCode::MUL, fb::OpCode::DIV};

struct Operand {
  std::vector<int32_t> shape;
  bool constant = false;
};

// Divisors stay away from 0: magnitude in [0.5, 2), random sign.
std::vector<float> operand_values(size_t count, uint32_t seed) {
  std::vector<float> values = random_values(count, seed, 0.5f, 2.0f);
  const std::vector<float> signs = random_values(count, seed + 100);
  for (size_t i = 0; i < count; ++i)
    if (signs[i] < 0) values[i] = -values[i];
  return values;
}

std::vector<uint8_t> binary_model(fb::OpCode code, const Operand& a, const Operand& b_operand,
                                  const std::vector<int32_t>& out_shape, fb::FusedActivation act,
                                  std::vector<std::vector<float>>* inputs) {
  ModelBuilder b;
  int tensors[2];
  const Operand* operands[2] = {&a, &b_operand};
  for (int i = 0; i < 2; ++i) {
    const Operand& o = *operands[i];
    const std::vector<float> values = operand_values(element_count(o.shape), 50 + static_cast<uint32_t>(i));
    const std::string name = i == 0 ? "a" : "b";
    if (o.constant) {
      tensors[i] = b.add_constant(name, o.shape, values);
    } else {
      tensors[i] = b.add_input(name, o.shape);
      inputs->push_back(values);
    }
  }
  const int y = b.add_tensor("y", out_shape);
  b.add_op(code, {tensors[0], tensors[1]}, {y}, fb::OperatorOptions::BinaryOptions,
           fb::CreateBinaryOptions(b.fbb(), &act).Union(), "binary");
  b.mark_output(y);
  return b.finish();
}

const fb::FusedActivation kNone(fb::ActivationType::NONE, 0.0f, 0.0f);

}  // namespace

TEST_CASE("onednn binary operators match the reference") {
  Operand a{{2, 8, 5, 6}}, b{{2, 8, 5, 6}};
  std::vector<int32_t> out{2, 8, 5, 6};
  fb::FusedActivation act = kNone;
  SUBCASE("same shape") {}
  SUBCASE("same shape, fused RELU") { act = relu_activation(); }
  SUBCASE("per-channel constant [1, C, 1, 1]") { b = {{1, 8, 1, 1}, true}; }
  SUBCASE("per-channel rank-3 [C, 1, 1] input, fused CLIP") {
    b = {{8, 1, 1}};
    act = clip_activation(-1.0f, 1.5f);
  }
  SUBCASE("scalar constant") { b = {{}, true}; }
  SUBCASE("[1] constant") { b = {{1}, true}; }
  SUBCASE("spatial map [N, 1, H, W]") { b = {{2, 1, 5, 6}}; }
  SUBCASE("row [W]") { b = {{6}}; }
  SUBCASE("rank-4 constant of full shape") { b = {{2, 8, 5, 6}, true}; }
  SUBCASE("rank 2") {
    a = {{4, 7}}, b = {{1, 7}};
    out = {4, 7};
  }
  SUBCASE("rank 3 with broadcasting in the middle") {
    a = {{3, 4, 5}}, b = {{3, 1, 5}};
    out = {3, 4, 5};
  }
  for (fb::OpCode code : kBinaryOps) {
    const std::string op_name = fb::EnumNameOpCode(code);
    CAPTURE(op_name);
    std::vector<std::vector<float>> inputs;
    const std::vector<uint8_t> model = binary_model(code, a, b, out, act, &inputs);
    expect_matches_reference(model, inputs);
  }
}

TEST_CASE("onednn binary operators with the broadcast operand first") {
  // oneDNN broadcasts only its second source: ADD/MUL swap, SUB negates B - A.
  const Operand a{{1, 8, 1, 1}, true}, b{{2, 8, 5, 6}};
  for (fb::OpCode code : {fb::OpCode::ADD, fb::OpCode::SUB, fb::OpCode::MUL}) {
    const std::string op_name = fb::EnumNameOpCode(code);
    CAPTURE(op_name);
    for (const fb::FusedActivation& act : {kNone, relu_activation()}) {
      std::vector<std::vector<float>> inputs;
      expect_matches_reference(binary_model(code, a, b, {2, 8, 5, 6}, act, &inputs), inputs);
    }
  }
  SUBCASE("DIV cannot be rewritten exactly") {
    std::vector<std::vector<float>> inputs;
    CHECK_FALSE(onednn_supports(binary_model(fb::OpCode::DIV, a, b, {2, 8, 5, 6}, kNone, &inputs)));
  }
}

TEST_CASE("onednn refuses binary operators where both operands broadcast") {
  const Operand a{{2, 8, 1, 1}}, b{{1, 1, 5, 6}};
  for (fb::OpCode code : kBinaryOps) {
    std::vector<std::vector<float>> inputs;
    CHECK_FALSE(onednn_supports(binary_model(code, a, b, {2, 8, 5, 6}, kNone, &inputs)));
  }
}

}  // namespace bespoke::test::onednn
