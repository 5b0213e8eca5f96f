// SOFTMAX on oneDNN against the reference backend, on every axis of NHWC
// images and of row-major tensors.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

std::vector<uint8_t> softmax_model(const std::vector<int32_t>& shape, int axis) {
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int y = b.add_tensor("y", shape);
  b.add_op(fb::OpCode::SOFTMAX, {x}, {y}, fb::OperatorOptions::SoftmaxOptions,
           fb::CreateSoftmaxOptions(b.fbb(), axis).Union(), "softmax");
  b.mark_output(y);
  return b.finish();
}

}  // namespace

TEST_CASE("onednn SOFTMAX matches the reference on every axis") {
  for (const std::vector<int32_t>& shape : {std::vector<int32_t>{2, 10}, std::vector<int32_t>{3, 4, 5},
                                            std::vector<int32_t>{2, 6, 4, 5}, std::vector<int32_t>{1, 1000}}) {
    for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis) {
      CAPTURE(shape.size());
      CAPTURE(axis);
      expect_matches_reference(softmax_model(shape, axis), {random_values(element_count(shape), 70, -5.0f, 5.0f)});
    }
  }
}

}  // namespace bespoke::test::onednn
