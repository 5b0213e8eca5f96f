// BATCH_NORM (inference) on oneDNN against the reference backend.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {

TEST_CASE("onednn BATCH_NORM matches the reference") {
  std::vector<int32_t> shape{2, 6, 5, 7};
  float epsilon = 1e-5f;
  SUBCASE("rank 4 (NHWC)") {}
  SUBCASE("rank 2, larger epsilon") { shape = {4, 19}, epsilon = 1e-3f; }
  SUBCASE("rank 3") { shape = {2, 5, 11}; }
  const int32_t c = shape[1];
  const size_t cs = static_cast<size_t>(c);
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int scale = b.add_constant("scale", {c}, random_values(cs, 91, 0.5f, 1.5f));
  const int bias = b.add_constant("bias", {c}, random_values(cs, 92));
  const int mean = b.add_constant("mean", {c}, random_values(cs, 93));
  const int var = b.add_constant("var", {c}, random_values(cs, 94, 0.1f, 2.0f));
  const int y = b.add_tensor("y", shape);
  b.add_op(fb::OpCode::BATCH_NORM, {x, scale, bias, mean, var}, {y}, fb::OperatorOptions::BatchNormOptions,
           fb::CreateBatchNormOptions(b.fbb(), epsilon).Union(), "bn");
  b.mark_output(y);
  expect_matches_reference(b.finish(), {random_values(element_count(shape), 90)});
}

}  // namespace bespoke::test::onednn
