// CONCAT on oneDNN against the reference backend.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

// Concatenates inputs of the given shapes (all graph inputs except those
// listed as constants) along `axis`.
void check_concat(const std::vector<std::vector<int32_t>>& shapes, int axis, const std::vector<bool>& constant = {}) {
  ModelBuilder b;
  std::vector<int32_t> tensors;
  std::vector<std::vector<float>> inputs;
  std::vector<int32_t> out_shape = shapes[0];
  out_shape[static_cast<size_t>(axis)] = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const std::vector<float> values = random_values(element_count(shapes[i]), 80 + static_cast<uint32_t>(i));
    const std::string name = "x" + std::to_string(i);
    if (i < constant.size() && constant[i]) {
      tensors.push_back(b.add_constant(name, shapes[i], values));
    } else {
      tensors.push_back(b.add_input(name, shapes[i]));
      inputs.push_back(values);
    }
    out_shape[static_cast<size_t>(axis)] += shapes[i][static_cast<size_t>(axis)];
  }
  const int y = b.add_tensor("y", out_shape);
  b.add_op(fb::OpCode::CONCAT, tensors, {y}, fb::OperatorOptions::ConcatOptions,
           fb::CreateConcatOptions(b.fbb(), axis).Union(), "concat");
  b.mark_output(y);
  expect_matches_reference(b.finish(), inputs);
}

}  // namespace

TEST_CASE("onednn CONCAT matches the reference") {
  SUBCASE("channels of NHWC images") { check_concat({{1, 3, 4, 5}, {1, 5, 4, 5}, {1, 8, 4, 5}}, 1); }
  SUBCASE("height of NHWC images") { check_concat({{2, 3, 2, 5}, {2, 3, 4, 5}}, 2); }
  SUBCASE("width of NHWC images, one constant") { check_concat({{1, 3, 4, 1}, {1, 3, 4, 6}}, 3, {false, true}); }
  SUBCASE("batch") { check_concat({{1, 3, 4, 5}, {2, 3, 4, 5}}, 0); }
  SUBCASE("rank 2, both axes") {
    check_concat({{3, 4}, {3, 7}}, 1);
    check_concat({{3, 4}, {5, 4}}, 0);
  }
  SUBCASE("a single input") { check_concat({{2, 9}}, 1); }
}

}  // namespace bespoke::test::onednn
