// Unary element-wise operators (activations, SQRT) on oneDNN against the
// reference backend.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

// Adds the operator's options (or none) to the builder.
flatbuffers::Offset<void> options_for(ModelBuilder& b, fb::OpCode code) {
  switch (code) {
    case fb::OpCode::CLIP: return fb::CreateClipOptions(b.fbb(), -0.6f, 0.8f).Union();
    case fb::OpCode::LEAKY_RELU: return fb::CreateLeakyReluOptions(b.fbb(), 0.1f).Union();
    case fb::OpCode::HARD_SIGMOID: return fb::CreateHardSigmoidOptions(b.fbb(), 0.25f, 0.4f).Union();
    default: return 0;
  }
}

fb::OperatorOptions options_type_for(fb::OpCode code) {
  switch (code) {
    case fb::OpCode::CLIP: return fb::OperatorOptions::ClipOptions;
    case fb::OpCode::LEAKY_RELU: return fb::OperatorOptions::LeakyReluOptions;
    case fb::OpCode::HARD_SIGMOID: return fb::OperatorOptions::HardSigmoidOptions;
    default: return fb::OperatorOptions::NONE;
  }
}

std::vector<uint8_t> unary_model(fb::OpCode code, const std::vector<int32_t>& shape) {
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int y = b.add_tensor("y", shape);
  const fb::OperatorOptions type = options_type_for(code);
  const flatbuffers::Offset<void> options = options_for(b, code);
  b.add_op(code, {x}, {y}, type, options, "unary");
  b.mark_output(y);
  return b.finish();
}

}  // namespace

TEST_CASE("onednn element-wise operators match the reference") {
  const fb::OpCode codes[] = {fb::OpCode::RELU,    fb::OpCode::CLIP,         fb::OpCode::LEAKY_RELU,
                              fb::OpCode::SIGMOID, fb::OpCode::HARD_SIGMOID, fb::OpCode::HARD_SWISH,
                              fb::OpCode::SILU,    fb::OpCode::TANH};
  std::vector<int32_t> shape{2, 6, 7, 9};
  SUBCASE("rank 4 (NHWC)") {}
  SUBCASE("rank 2") { shape = {3, 33}; }
  SUBCASE("rank 1, long enough for every vector path and a tail") { shape = {1031}; }
  for (fb::OpCode code : codes) {
    const std::string op_name = fb::EnumNameOpCode(code);
    CAPTURE(op_name);
    // [-6, 6) covers the saturated and the linear parts of every function.
    expect_matches_reference(unary_model(code, shape), {random_values(element_count(shape), 60, -6.0f, 6.0f)});
  }
}

TEST_CASE("onednn SQRT matches the reference and gives NaN for negative inputs") {
  std::vector<int32_t> shape{2, 6, 7, 9};
  SUBCASE("rank 4 (NHWC)") {}
  SUBCASE("rank 1, long enough for every vector path and a tail") { shape = {1031}; }
  // Non-negative: first_mismatch counts NaN as a mismatch.
  expect_matches_reference(unary_model(fb::OpCode::SQRT, shape),
                           {random_values(element_count(shape), 61, 0.0f, 100.0f)});

  const std::vector<float> x{-1.0f, -0.5f, 0.0f, 0.25f, 4.0f, 9.0f};
  const auto model = unary_model(fb::OpCode::SQRT, {6});
  REQUIRE(onednn_supports(model));
  const OpRunResult actual = run_single_op(onednn_backend(), model, {x}, 1);
  REQUIRE_MESSAGE(actual.status.ok(), actual.status.message());
  const std::vector<float>& y = actual.outputs[0];
  CHECK(std::isnan(y[0]));
  CHECK(std::isnan(y[1]));
  CHECK(first_mismatch({y[2], y[3], y[4], y[5]}, {0.0f, 0.5f, 2.0f, 3.0f}).empty());
}

TEST_CASE("onednn leaves BATCH_MATMUL to the reference backend") {
  ModelBuilder b;
  const int a = b.add_input("a", {2, 3, 4});
  const int w = b.add_input("b", {4, 5});
  const int y = b.add_tensor("y", {2, 3, 5});
  b.add_op(fb::OpCode::BATCH_MATMUL, {a, w}, {y}, fb::OperatorOptions::NONE, 0, "mm");
  b.mark_output(y);
  CHECK_FALSE(onednn_supports(b.finish(1, 200)));
}

}  // namespace bespoke::test::onednn
