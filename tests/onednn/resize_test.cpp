// RESIZE on oneDNN against the reference backend, and the refusal of every
// coordinate transform / rounding whose result oneDNN does not reproduce.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

using Mode = fb::ResizeMode;
using Transform = fb::CoordinateTransform;
using Rounding = fb::NearestRounding;

struct ResizeCase {
  std::vector<int32_t> in{1, 3, 6, 5};
  int oh = 12, ow = 10;
  Mode mode = Mode::LINEAR;
  Transform transform = Transform::HALF_PIXEL;
  Rounding rounding = Rounding::ROUND_PREFER_FLOOR;
  float scale_h = 0.0f, scale_w = 0.0f;
};

std::vector<uint8_t> resize_model(const ResizeCase& k) {
  ModelBuilder b;
  const int x = b.add_input("x", k.in);
  const int y = b.add_tensor("y", {k.in[0], k.in[1], k.oh, k.ow});
  b.add_op(fb::OpCode::RESIZE, {x}, {y}, fb::OperatorOptions::ResizeOptions,
           fb::CreateResizeOptions(b.fbb(), k.mode, k.transform, k.rounding, k.scale_h, k.scale_w).Union(), "resize");
  b.mark_output(y);
  return b.finish();
}

}  // namespace

TEST_CASE("onednn RESIZE matches the reference where it is exact") {
  ResizeCase k;
  SUBCASE("linear half_pixel x2") {}
  SUBCASE("linear half_pixel x2 with the producer's scales") { k.scale_h = 2.0f, k.scale_w = 2.0f; }
  SUBCASE("linear half_pixel, non-integer up and down") { k.oh = 7, k.ow = 3; }
  SUBCASE("linear half_pixel downsampling by 2") { k.in = {2, 4, 8, 8}, k.oh = 4, k.ow = 4; }
  SUBCASE("linear pytorch_half_pixel") { k.transform = Transform::PYTORCH_HALF_PIXEL, k.oh = 9, k.ow = 11; }
  SUBCASE("nearest half_pixel x2, round_prefer_floor") { k.mode = Mode::NEAREST; }
  SUBCASE("nearest half_pixel x3, round_prefer_ceil") {
    k.mode = Mode::NEAREST, k.rounding = Rounding::ROUND_PREFER_CEIL, k.oh = 18, k.ow = 15;
  }
  SUBCASE("nearest asymmetric floor x2 (PyTorch's nearest)") {
    k.mode = Mode::NEAREST, k.transform = Transform::ASYMMETRIC, k.rounding = Rounding::FLOOR;
    k.scale_h = 2.0f, k.scale_w = 2.0f;
  }
  SUBCASE("nearest, only the width changes, align_corners") {
    k.mode = Mode::NEAREST, k.transform = Transform::ALIGN_CORNERS, k.oh = 6, k.ow = 20;
    k.rounding = Rounding::FLOOR;
    // align_corners is refused for w (5 -> 20 is not identity)...
    CHECK_FALSE(onednn_supports(resize_model(k)));
    // ...but an identity resize is exact whatever the transform.
    k.ow = 5;
  }
  expect_matches_reference(resize_model(k), {random_values(element_count(k.in), 100)});
}

TEST_CASE("onednn RESIZE refuses inexact cases") {
  ResizeCase k;
  SUBCASE("linear align_corners") { k.transform = Transform::ALIGN_CORNERS; }
  SUBCASE("linear asymmetric") { k.transform = Transform::ASYMMETRIC; }
  SUBCASE("linear pytorch_half_pixel to one row") { k.transform = Transform::PYTORCH_HALF_PIXEL, k.oh = 1; }
  SUBCASE("scale differs from out / in") { k.scale_h = 2.5f, k.scale_w = 2.0f; }
  SUBCASE("nearest downsampling") { k.mode = Mode::NEAREST, k.in = {1, 3, 8, 8}, k.oh = 4, k.ow = 4; }
  SUBCASE("nearest non-integer upsampling") { k.mode = Mode::NEAREST, k.oh = 9; }
  SUBCASE("nearest half_pixel with floor rounding") { k.mode = Mode::NEAREST, k.rounding = Rounding::FLOOR; }
  SUBCASE("nearest asymmetric with round_prefer_floor") { k.mode = Mode::NEAREST, k.transform = Transform::ASYMMETRIC; }
  SUBCASE("nearest align_corners") { k.mode = Mode::NEAREST, k.transform = Transform::ALIGN_CORNERS; }
  CHECK_FALSE(onednn_supports(resize_model(k)));
}

}  // namespace bespoke::test::onednn
