// MAX_POOL_2D, AVERAGE_POOL_2D, GLOBAL_AVERAGE_POOL and REDUCE_MEAN on
// XNNPACK vs the reference backend.
#include <algorithm>
#include <random>
#include <string>

#include "xnnpack/xnnpack_test_util.h"

namespace bespoke::test {
namespace {

struct PoolParams {
  std::string name;
  int n, c, h, w, kh, kw;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool count_include_pad = false;
};

void build_pool(OpCase& t, fb::OpCode code, const PoolParams& p) {
  const int x = t.input({p.n, p.c, p.h, p.w});
  const int oh = (p.h + p.pad_top + p.pad_bottom - p.dilation_h * (p.kh - 1) - 1) / p.stride_h + 1;
  const int ow = (p.w + p.pad_left + p.pad_right - p.dilation_w * (p.kw - 1) - 1) / p.stride_w + 1;
  const int y = t.output({p.n, p.c, oh, ow});
  auto options = fb::CreatePool2DOptions(t.fbb(), p.kh, p.kw, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
                                         p.pad_top, p.pad_left, p.pad_bottom, p.pad_right, p.count_include_pad);
  t.op(code, {x}, {y}, fb::OperatorOptions::Pool2DOptions, options.Union());
}

TEST_CASE("xnnpack MAX_POOL_2D matches the reference") {
  const PoolParams cases[] = {
      {"2x2 stride 2", 2, 5, 8, 8, 2, 2, 2, 2},
      {"3x3 stride 2 pad 1 (ResNet stem)", 1, 4, 9, 11, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
      {"ceil mode as extra bottom/right padding", 1, 3, 7, 7, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1},
      {"dilation 2 without padding", 1, 6, 9, 9, 3, 3, 1, 1, 2, 2},
      {"1x3 window, asymmetric padding", 2, 3, 4, 6, 1, 3, 1, 1, 1, 1, 0, 2, 0, 1},
  };
  for (const PoolParams& p : cases) {
    SUBCASE(p.name.c_str()) {
      OpCase t;
      build_pool(t, fb::OpCode::MAX_POOL_2D, p);
      t.check_matches_reference();
    }
  }
}

// Random windows; each is either run and compared, or must be refused for
// one of the documented reasons.
void check_random_pools(fb::OpCode code, uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  int compared = 0;
  for (int i = 0; i < 40; ++i) {
    PoolParams p;
    p.n = pick(1, 2), p.c = pick(1, 5);
    p.kh = pick(1, 4), p.kw = pick(1, 4);
    p.stride_h = pick(1, 3), p.stride_w = pick(1, 3);
    p.dilation_h = pick(0, 3) == 0 ? 2 : 1, p.dilation_w = pick(0, 3) == 0 ? 2 : 1;
    p.pad_top = pick(0, p.kh - 1), p.pad_bottom = pick(0, p.kh - 1);
    p.pad_left = pick(0, p.kw - 1), p.pad_right = pick(0, p.kw - 1);
    p.count_include_pad = pick(0, 1) == 1;
    p.h = p.dilation_h * (p.kh - 1) + pick(1, 6);
    p.w = p.dilation_w * (p.kw - 1) + pick(1, 6);
    const bool padded = p.pad_top + p.pad_bottom + p.pad_left + p.pad_right > 0;
    const bool dilated = (p.kh > 1 && p.dilation_h > 1) || (p.kw > 1 && p.dilation_w > 1);
    bool expected = p.kh * p.kw > 1;
    if (code == fb::OpCode::MAX_POOL_2D) expected = expected && !(padded && dilated);
    if (code == fb::OpCode::AVERAGE_POOL_2D) expected = expected && !dilated;
    OpCase t;
    build_pool(t, code, p);
    INFO("config " << i << ": kernel " << p.kh << "x" << p.kw << ", stride " << p.stride_h << "x" << p.stride_w
                   << ", dilation " << p.dilation_h << "x" << p.dilation_w << ", pads " << p.pad_top << ","
                   << p.pad_left << "," << p.pad_bottom << "," << p.pad_right << ", include pad "
                   << p.count_include_pad);
    REQUIRE(t.xnnpack_supports() == expected);
    if (!expected) continue;
    t.check_matches_reference();
    ++compared;
  }
  CHECK(compared >= 20);
}

TEST_CASE("xnnpack MAX_POOL_2D on random windows") { check_random_pools(fb::OpCode::MAX_POOL_2D, 7); }
TEST_CASE("xnnpack AVERAGE_POOL_2D on random windows") { check_random_pools(fb::OpCode::AVERAGE_POOL_2D, 11); }

TEST_CASE("xnnpack MAX_POOL_2D refuses padding with dilation and 1x1 windows") {
  SUBCASE("dilation 2 with padding: XNNPACK's border redirection is not -inf padding") {
    OpCase t;
    build_pool(t, fb::OpCode::MAX_POOL_2D, {"", 1, 2, 8, 8, 3, 3, 1, 1, 2, 2, 1, 1, 1, 1});
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("1x1 window") {
    OpCase t;
    build_pool(t, fb::OpCode::MAX_POOL_2D, {"", 1, 2, 8, 8, 1, 1, 2, 2});
    CHECK_FALSE(t.xnnpack_supports());
  }
}

TEST_CASE("xnnpack AVERAGE_POOL_2D matches the reference") {
  const PoolParams cases[] = {
      {"2x2 stride 2", 2, 5, 8, 8, 2, 2, 2, 2},
      {"3x3 pad 1, padding excluded from the divisor", 1, 4, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false},
      {"3x3 stride 2 pad 1, padding counted (explicit zero padding)", 1, 4, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true},
      {"asymmetric padding counted", 2, 3, 5, 6, 2, 3, 1, 2, 1, 1, 1, 0, 0, 2, true},
      {"count_include_pad without padding", 1, 3, 6, 6, 3, 3, 3, 3, 1, 1, 0, 0, 0, 0, true},
  };
  for (const PoolParams& p : cases) {
    SUBCASE(p.name.c_str()) {
      OpCase t;
      build_pool(t, fb::OpCode::AVERAGE_POOL_2D, p);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack AVERAGE_POOL_2D refuses dilation") {
  OpCase t;
  build_pool(t, fb::OpCode::AVERAGE_POOL_2D, {"", 1, 2, 8, 8, 2, 2, 1, 1, 2, 2});
  CHECK_FALSE(t.xnnpack_supports());
}

TEST_CASE("xnnpack GLOBAL_AVERAGE_POOL matches the reference") {
  for (const std::vector<int32_t>& shape :
       {std::vector<int32_t>{2, 7, 5, 6}, std::vector<int32_t>{1, 32, 1, 1}, std::vector<int32_t>{3, 1, 9, 9}}) {
    OpCase t;
    const int x = t.input(shape);
    const int y = t.output({shape[0], shape[1], 1, 1});
    t.op(fb::OpCode::GLOBAL_AVERAGE_POOL, {x}, {y});
    t.check_matches_reference();
  }
}

void build_reduce_mean(OpCase& t, const std::vector<int32_t>& shape, const std::vector<int32_t>& axes, bool keep_dims) {
  std::vector<int32_t> out_shape;
  for (size_t d = 0; d < shape.size(); ++d) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int32_t>(d)) != axes.end();
    if (!reduced) out_shape.push_back(shape[d]);
    if (reduced && keep_dims) out_shape.push_back(1);
  }
  const int x = t.input(shape);
  const int y = t.output(out_shape);
  t.op(fb::OpCode::REDUCE_MEAN, {x}, {y}, fb::OperatorOptions::ReduceOptions,
       fb::CreateReduceOptionsDirect(t.fbb(), &axes, keep_dims).Union());
}

TEST_CASE("xnnpack REDUCE_MEAN matches the reference") {
  struct Case {
    std::string name;
    std::vector<int32_t> shape, axes;
    bool keep_dims;
  };
  const Case cases[] = {
      {"spatial mean of NCHW, keep dims", {2, 6, 4, 5}, {2, 3}, true},
      {"spatial mean of NCHW to [N, C]", {2, 6, 4, 5}, {2, 3}, false},
      {"channel mean of NCHW, keep dims", {2, 6, 4, 5}, {1}, true},
      {"C and W of NCHW (adjacent in NHWC)", {2, 6, 4, 5}, {1, 3}, true},
      {"last axis of a 3-D tensor", {3, 4, 10}, {2}, false},
      {"middle axis of a 3-D tensor", {3, 4, 10}, {1}, true},
      {"W of NCHW with C == 1", {2, 1, 3, 8}, {3}, true},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      build_reduce_mean(t, c.shape, c.axes, c.keep_dims);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack REDUCE_MEAN refuses reductions that are not one run in NHWC order") {
  SUBCASE("C and H of NCHW are not adjacent in NHWC") {
    OpCase t;
    build_reduce_mean(t, {2, 6, 4, 5}, {1, 2}, true);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("H of NCHW to [N, C, W] would need a transpose") {
    OpCase t;
    build_reduce_mean(t, {2, 6, 4, 5}, {2}, false);
    CHECK_FALSE(t.xnnpack_supports());
  }
}

}  // namespace
}  // namespace bespoke::test
