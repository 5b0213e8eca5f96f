// MAX_POOL_2D, AVERAGE_POOL_2D and GLOBAL_AVERAGE_POOL on oneDNN against the
// reference backend.
#include "backends/onednn/pooling.h"
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

struct PoolCase {
  int n = 1, c = 5, h = 9, w = 9;
  int kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1;
  int pt = 0, pl = 0, pb = 0, pr = 0;
  bool include_pad = false;
};

std::vector<uint8_t> pool_model(fb::OpCode code, const PoolCase& k) {
  ModelBuilder b;
  const int x = b.add_input("x", {k.n, k.c, k.h, k.w});
  const int oh = (k.h + k.pt + k.pb - k.dh * (k.kh - 1) - 1) / k.sh + 1;
  const int ow = (k.w + k.pl + k.pr - k.dw * (k.kw - 1) - 1) / k.sw + 1;
  const int y = b.add_tensor("y", {k.n, k.c, oh, ow});
  b.add_op(code, {x}, {y}, fb::OperatorOptions::Pool2DOptions,
           fb::CreatePool2DOptions(b.fbb(), k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, k.pt, k.pl, k.pb, k.pr, k.include_pad)
               .Union(),
           "pool");
  b.mark_output(y);
  return b.finish();
}

std::vector<float> input_for(const PoolCase& k) { return random_values(element_count({k.n, k.c, k.h, k.w}), 40); }

}  // namespace

TEST_CASE("onednn MAX_POOL_2D and AVERAGE_POOL_2D match the reference") {
  PoolCase k;
  SUBCASE("3x3 stride 2 pad 1") { k.sh = k.sw = 2, k.pt = k.pl = k.pb = k.pr = 1; }
  SUBCASE("2x2 stride 2, no padding, batch 2, 16 channels") {
    k.n = 2, k.c = 16, k.h = k.w = 8, k.kh = k.kw = 2, k.sh = k.sw = 2;
  }
  SUBCASE("asymmetric padding (ceil mode resolved by the producer)") {
    k.h = 8, k.w = 10, k.sh = k.sw = 2, k.pb = 1, k.pr = 1;
  }
  SUBCASE("non-square window with dilation") { k.kh = 2, k.kw = 3, k.dh = 2, k.dw = 2, k.pt = 1, k.pr = 2; }
  SUBCASE("include padding in the divisor") { k.sh = k.sw = 2, k.pt = k.pl = k.pb = k.pr = 1, k.include_pad = true; }
  SUBCASE("include padding, asymmetric") { k.pt = 2, k.pl = 0, k.pb = 0, k.pr = 1, k.include_pad = true; }
  for (fb::OpCode code : {fb::OpCode::MAX_POOL_2D, fb::OpCode::AVERAGE_POOL_2D}) {
    const std::string op_name = fb::EnumNameOpCode(code);
    CAPTURE(op_name);
    expect_matches_reference(pool_model(code, k), {input_for(k)});
  }
}

TEST_CASE("onednn GLOBAL_AVERAGE_POOL matches the reference") {
  std::vector<int32_t> shape{2, 24, 7, 5};
  SUBCASE("7x5") {}
  SUBCASE("1x1 image") { shape = {1, 3, 1, 1}; }
  SUBCASE("large image") { shape = {1, 8, 56, 56}; }
  ModelBuilder b;
  const int x = b.add_input("x", shape);
  const int y = b.add_tensor("y", {shape[0], shape[1], 1, 1});
  b.add_op(fb::OpCode::GLOBAL_AVERAGE_POOL, {x}, {y});
  b.mark_output(y);
  expect_matches_reference(b.finish(), {random_values(element_count(shape), 41)});
}

TEST_CASE("onednn refuses pooling windows made only of padding") {
  // 1x1 window, stride 2, top/left padding 1: the first row and column of
  // windows see nothing but padding (-inf for MAX_POOL_2D, an empty average).
  PoolCase k;
  k.h = k.w = 4, k.kh = k.kw = 1, k.sh = k.sw = 2, k.pt = k.pl = 1;
  const std::vector<uint8_t> model = pool_model(fb::OpCode::MAX_POOL_2D, k);
  std::vector<uint64_t> aligned((model.size() + 7) / 8);
  std::memcpy(aligned.data(), model.data(), model.size());
  rt::ModelView view;
  // The verifier may refuse such padding itself; if it lets it through, the backend must refuse.
  if (rt::verify_model(aligned.data(), model.size(), &view).ok()) CHECK_FALSE(onednn_backend().supports(view, 0));
}

TEST_CASE("pooling windows that see only padding are detected") {
  using rt::onednn::every_window_reaches_input;
  // input 4, kernel 2, stride 1, pad 1: windows start at -1 .. 3, each reaches a cell.
  CHECK(every_window_reaches_input(4, 5, 2, 1, 1, 1));
  // pad 2 with kernel 2: the first window covers [-2, -1] only.
  CHECK_FALSE(every_window_reaches_input(4, 7, 2, 1, 1, 2));
  // dilation 3 jumps over a 2-cell input: window at -1 taps -1 and 2.
  CHECK_FALSE(every_window_reaches_input(2, 1, 2, 1, 3, 1));
  // stride 2 over 4 cells with 3 outputs: the last window [4, 5] lies in the end padding.
  CHECK_FALSE(every_window_reaches_input(4, 3, 2, 2, 1, 0));
  // 3x3 stride 2 pad 1 over 5 cells: windows start at -1, 1, 3.
  CHECK(every_window_reaches_input(5, 3, 3, 2, 1, 1));
}

}  // namespace bespoke::test::onednn
