// REDUCE_MEAN on oneDNN against the reference backend.
#include <algorithm>

#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

void check_reduce_mean(const std::vector<int32_t>& shape, const std::vector<int32_t>& axes, bool keep_dims) {
  std::vector<int32_t> out_shape;
  for (size_t i = 0; i < shape.size(); ++i) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int32_t>(i)) != axes.end();
    if (!reduced) {
      out_shape.push_back(shape[i]);
    } else if (keep_dims) {
      out_shape.push_back(1);
    }
  }
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int y = b.add_tensor("y", out_shape);
  b.add_op(fb::OpCode::REDUCE_MEAN, {x}, {y}, fb::OperatorOptions::ReduceOptions,
           fb::CreateReduceOptionsDirect(b.fbb(), &axes, keep_dims).Union(), "mean");
  b.mark_output(y);
  expect_matches_reference(b.finish(), {random_values(element_count(shape), 110)});
}

}  // namespace

TEST_CASE("onednn REDUCE_MEAN matches the reference") {
  SUBCASE("spatial mean of NHWC images, kept dims") { check_reduce_mean({2, 8, 5, 6}, {2, 3}, true); }
  SUBCASE("spatial mean of NHWC images to [N, C]") { check_reduce_mean({2, 8, 5, 6}, {2, 3}, false); }
  SUBCASE("channel mean of NHWC images") { check_reduce_mean({1, 12, 4, 4}, {1}, true); }
  SUBCASE("channel mean of NHWC images to rank 3") { check_reduce_mean({1, 12, 4, 4}, {1}, false); }
  SUBCASE("all axes to a scalar") { check_reduce_mean({3, 4, 5}, {0, 1, 2}, false); }
  SUBCASE("rank 3, outer and inner axes") { check_reduce_mean({3, 4, 5}, {0, 2}, false); }
  SUBCASE("rank 2, last axis") { check_reduce_mean({6, 50}, {1}, true); }
  SUBCASE("reducing a size-1 axis only changes the layout") { check_reduce_mean({2, 3, 1, 5}, {2}, false); }
}

}  // namespace bespoke::test::onednn
