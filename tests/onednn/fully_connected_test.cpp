// FULLY_CONNECTED on oneDNN against the reference backend.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

std::vector<uint8_t> fc_model(const std::vector<int32_t>& x_shape, int n, bool bias, fb::FusedActivation act,
                              bool constant_weights = true) {
  ModelBuilder b;
  const int x = b.add_input("x", x_shape);
  const int k = x_shape.back();
  const int w = constant_weights ? b.add_constant("w", {n, k}, random_values(static_cast<size_t>(n * k), 31))
                                 : b.add_input("w", {n, k});
  const int bias_tensor = bias ? b.add_constant("b", {n}, random_values(static_cast<size_t>(n), 32)) : -1;
  std::vector<int32_t> y_shape = x_shape;
  y_shape.back() = n;
  const int y = b.add_tensor("y", y_shape);
  b.add_op(fb::OpCode::FULLY_CONNECTED, {x, w, bias_tensor}, {y}, fb::OperatorOptions::FullyConnectedOptions,
           fb::CreateFullyConnectedOptions(b.fbb(), &act).Union(), "fc");
  b.mark_output(y);
  return b.finish();
}

const fb::FusedActivation kNone(fb::ActivationType::NONE, 0.0f, 0.0f);

}  // namespace

TEST_CASE("onednn FULLY_CONNECTED matches the reference") {
  std::vector<int32_t> x_shape{2, 16};
  int n = 8;
  bool bias = true;
  fb::FusedActivation act = kNone;
  SUBCASE("2-D with bias") {}
  SUBCASE("2-D without bias, fused RELU") { bias = false, act = relu_activation(); }
  SUBCASE("batch 1, wide, fused CLIP") { x_shape = {1, 256}, n = 100, act = clip_activation(-0.25f, 0.5f); }
  SUBCASE("3-D input flattens its leading dims") { x_shape = {3, 5, 12}, n = 7; }
  SUBCASE("1-D input") { x_shape = {20}, n = 9; }
  CAPTURE(n);
  expect_matches_reference(fc_model(x_shape, n, bias, act), {random_values(element_count(x_shape), 30)});
}

TEST_CASE("onednn FULLY_CONNECTED refuses rank-4 inputs (NHWC storage is not [..., K])") {
  CHECK_FALSE(onednn_supports(fc_model({1, 2, 3, 4}, 5, true, kNone)));
}

}  // namespace bespoke::test::onednn
