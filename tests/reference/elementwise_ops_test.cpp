// Reference backend vs LibTorch (float64) for the element-wise operators:
// ADD/SUB/MUL/DIV with broadcasting and fused activations, the activations
// RELU ... TANH, SQRT, and SOFTMAX over every axis. Tolerance: kRtol / kAtol.
#include <functional>

#include "reference/reference_test_util.h"
#include "reference/torch_util.h"

namespace bespoke::test {
namespace {

const TorchSingleThread kTorchThreads;

struct BinaryCase {
  std::vector<int32_t> a, b;
  bool b_constant = false;
};

using TorchBinary = std::function<at::Tensor(const at::Tensor&, const at::Tensor&)>;

void check_binary(fb::OpCode code, const TorchBinary& reference, const BinaryCase& c, fb::ActivationType act,
                  uint32_t seed, int threads) {
  INFO(fb::EnumNameOpCode(code) << " " << shape_text(c.a) << " with " << shape_text(c.b)
                                << (c.b_constant ? " (constant)" : "") << " activation "
                                << fb::EnumNameActivationType(act));
  const auto a = random_values(element_count(c.a), seed, -3.0f, 3.0f);
  // Divisors kept away from zero: magnitude in [0.5, 2), random sign.
  auto b = random_values(element_count(c.b), seed + 1, 0.5f, 2.0f);
  const auto signs = random_values(b.size(), seed + 2);
  for (size_t i = 0; i < b.size(); ++i) b[i] = signs[i] < 0.0f ? -b[i] : b[i];

  const fb::FusedActivation fused(act, -1.5f, 2.5f);
  at::Tensor expected = reference(to_tensor(a, c.a), to_tensor(b, c.b));
  if (act == fb::ActivationType::RELU) expected = at::relu(expected);
  if (act == fb::ActivationType::CLIP) expected = at::clamp(expected, -1.5, 2.5);

  SingleOpModel model;
  const int ai = model.input(c.a, a);
  const int bi = c.b_constant ? model.constant(c.b, b) : model.input(c.b, b);
  const int yi = model.output(shape_of(expected));
  model.op(code, {ai, bi}, {yi}, fb::OperatorOptions::BinaryOptions,
           fb::CreateBinaryOptions(model.fbb(), &fused).Union());
  check_close(model.run(threads)[0], to_vector(expected));
}

TEST_CASE("ADD, SUB, MUL, DIV broadcast like LibTorch") {
  const std::vector<BinaryCase> cases = {
      {{2, 3, 4, 5}, {2, 3, 4, 5}},
      {{2, 3, 4, 5}, {3, 1, 1}, true},           // per-channel constant
      {{1, 3, 1, 5}, {2, 1, 4, 1}},              // both sides broadcast
      {{4}, {2, 3, 4}},                          // lower-rank first operand
      {{2, 3}, {}, true},                        // scalar
      {{}, {3, 2}},                              // scalar first
      {{2, 1, 3, 1, 2, 3}, {1, 2, 1, 4, 1, 3}},  // rank 6
      {{8, 1}, {1, 9}},                          // outer product
      {{1, 32, 17, 9}, {1, 32, 1, 1}, true},
  };
  const std::vector<std::pair<fb::OpCode, TorchBinary>> ops = {
      {fb::OpCode::ADD, [](const at::Tensor& a, const at::Tensor& b) { return a + b; }},
      {fb::OpCode::SUB, [](const at::Tensor& a, const at::Tensor& b) { return a - b; }},
      {fb::OpCode::MUL, [](const at::Tensor& a, const at::Tensor& b) { return a * b; }},
      {fb::OpCode::DIV, [](const at::Tensor& a, const at::Tensor& b) { return a / b; }},
  };
  const fb::ActivationType acts[] = {fb::ActivationType::NONE, fb::ActivationType::RELU, fb::ActivationType::CLIP};
  uint32_t seed = 1000;
  for (const auto& [code, reference] : ops) {
    for (size_t i = 0; i < cases.size(); ++i) {
      check_binary(code, reference, cases[i], acts[i % 3], seed, 1 + static_cast<int>(i % 2));
      seed += 10;
    }
  }
}

using TorchUnary = std::function<at::Tensor(const at::Tensor&)>;

// Runs `code` (with `options` made by `make_options`) on values spread over
// [-8, 8) — covering every saturation region — against `reference`.
void check_unary(fb::OpCode code, fb::OperatorOptions type,
                 const std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>& make_options,
                 const TorchUnary& reference, uint32_t seed) {
  INFO(fb::EnumNameOpCode(code));
  for (const std::vector<int32_t>& shape : {std::vector<int32_t>{2, 3, 5, 7}, {1000}, {3, 4, 5}}) {
    INFO("shape " << shape_text(shape));
    auto x = random_values(element_count(shape), seed, -8.0f, 8.0f);
    x[0] = 0.0f;  // the kink of most activations
    at::Tensor expected = reference(to_tensor(x, shape));
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const int yi = model.output(shape);
    model.op(code, {xi}, {yi}, type, make_options ? make_options(model.fbb()) : 0);
    check_close(model.run(2)[0], to_vector(expected));
  }
}

TEST_CASE("activations match LibTorch") {
  const fb::OperatorOptions none = fb::OperatorOptions::NONE;
  check_unary(
      fb::OpCode::RELU, none, nullptr, [](const at::Tensor& x) { return at::relu(x); }, 2000);
  check_unary(
      fb::OpCode::CLIP, fb::OperatorOptions::ClipOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return fb::CreateClipOptions(b, -2.5f, 1.25f).Union(); },
      [](const at::Tensor& x) { return at::clamp(x, -2.5, 1.25); }, 2010);
  check_unary(
      fb::OpCode::LEAKY_RELU, fb::OperatorOptions::LeakyReluOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return fb::CreateLeakyReluOptions(b, 0.15f).Union(); },
      [](const at::Tensor& x) { return at::leaky_relu(x, 0.15f); }, 2020);
  check_unary(
      fb::OpCode::SIGMOID, none, nullptr, [](const at::Tensor& x) { return at::sigmoid(x); }, 2030);
  // ONNX HardSigmoid with its defaults (alpha 0.2, beta 0.5); LibTorch's hardsigmoid is alpha 1/6.
  check_unary(
      fb::OpCode::HARD_SIGMOID, fb::OperatorOptions::HardSigmoidOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return fb::CreateHardSigmoidOptions(b).Union(); },
      [](const at::Tensor& x) { return at::clamp(0.2 * x + 0.5, 0.0, 1.0); }, 2040);
  check_unary(
      fb::OpCode::HARD_SIGMOID, fb::OperatorOptions::HardSigmoidOptions,
      [](flatbuffers::FlatBufferBuilder& b) { return fb::CreateHardSigmoidOptions(b, 1.0f / 6.0f, 0.5f).Union(); },
      [](const at::Tensor& x) { return at::hardsigmoid(x); }, 2045);
  check_unary(
      fb::OpCode::HARD_SWISH, none, nullptr, [](const at::Tensor& x) { return at::hardswish(x); }, 2050);
  check_unary(
      fb::OpCode::SILU, none, nullptr, [](const at::Tensor& x) { return at::silu(x); }, 2060);
  check_unary(
      fb::OpCode::TANH, none, nullptr, [](const at::Tensor& x) { return at::tanh(x); }, 2070);
  // Half the inputs are negative: NaN on both sides.
  check_unary(
      fb::OpCode::SQRT, none, nullptr, [](const at::Tensor& x) { return at::sqrt(x); }, 2080);
}

TEST_CASE("SOFTMAX matches LibTorch on every axis") {
  uint32_t seed = 3000;
  for (const std::vector<int32_t>& shape :
       {std::vector<int32_t>{7}, {2, 10}, {3, 5, 7}, {2, 3, 4, 5}, {1, 1000}, {2, 1, 3, 1, 2, 2}}) {
    for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis) {
      INFO("shape " << shape_text(shape) << " axis " << axis);
      // Values up to +-90: exp(90) overflows float, so this needs the max subtraction.
      const auto x = random_values(element_count(shape), seed++, -90.0f, 90.0f);
      at::Tensor expected = at::softmax(to_tensor(x, shape), axis);
      SingleOpModel model;
      const int xi = model.input(shape, x);
      const int yi = model.output(shape);
      model.op(fb::OpCode::SOFTMAX, {xi}, {yi}, fb::OperatorOptions::SoftmaxOptions,
               fb::CreateSoftmaxOptions(model.fbb(), axis).Union());
      check_close(model.run(axis % 2 + 1)[0], to_vector(expected));
    }
  }
}

}  // namespace
}  // namespace bespoke::test
