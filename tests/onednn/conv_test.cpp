// CONV_2D and CONV_TRANSPOSE_2D on oneDNN against the reference backend.
#include "onednn_test_util.h"

namespace bespoke::test::onednn {
namespace {

struct ConvCase {
  int n = 1, c = 3, h = 8, w = 8, m = 4;
  int kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1;
  int pt = 0, pl = 0, pb = 0, pr = 0;
  int groups = 1;
  int output_padding_h = 0, output_padding_w = 0;  // transposed only
  bool bias = true;
  fb::ActivationType activation = fb::ActivationType::NONE;
  float clip_min = 0.0f, clip_max = 6.0f;
};

fb::FusedActivation activation_of(const ConvCase& k) {
  return fb::FusedActivation(k.activation, k.clip_min, k.clip_max);
}

std::vector<uint8_t> conv_model(const ConvCase& k) {
  ModelBuilder b;
  const int x = b.add_input("x", {k.n, k.c, k.h, k.w});
  const int w = b.add_constant("w", {k.m, k.c / k.groups, k.kh, k.kw},
                               random_values(element_count({k.m, k.c / k.groups, k.kh, k.kw}), 11));
  const int bias = k.bias ? b.add_constant("b", {k.m}, random_values(static_cast<size_t>(k.m), 12)) : -1;
  const int oh = (k.h + k.pt + k.pb - k.dh * (k.kh - 1) - 1) / k.sh + 1;
  const int ow = (k.w + k.pl + k.pr - k.dw * (k.kw - 1) - 1) / k.sw + 1;
  const int y = b.add_tensor("y", {k.n, k.m, oh, ow});
  const fb::FusedActivation act = activation_of(k);
  b.add_op(fb::OpCode::CONV_2D, {x, w, bias}, {y}, fb::OperatorOptions::Conv2DOptions,
           fb::CreateConv2DOptions(b.fbb(), k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, k.pt, k.pl, k.pb, k.pr, k.groups, &act)
               .Union(),
           "conv");
  b.mark_output(y);
  return b.finish();
}

std::vector<uint8_t> conv_transpose_model(const ConvCase& k) {
  ModelBuilder b;
  const int x = b.add_input("x", {k.n, k.c, k.h, k.w});
  const int w = b.add_constant("w", {k.c, k.m / k.groups, k.kh, k.kw},
                               random_values(element_count({k.c, k.m / k.groups, k.kh, k.kw}), 21));
  const int bias = k.bias ? b.add_constant("b", {k.m}, random_values(static_cast<size_t>(k.m), 22)) : -1;
  const int oh = k.sh * (k.h - 1) + k.output_padding_h + k.dh * (k.kh - 1) + 1 - k.pt - k.pb;
  const int ow = k.sw * (k.w - 1) + k.output_padding_w + k.dw * (k.kw - 1) + 1 - k.pl - k.pr;
  const int y = b.add_tensor("y", {k.n, k.m, oh, ow});
  const fb::FusedActivation act = activation_of(k);
  b.add_op(fb::OpCode::CONV_TRANSPOSE_2D, {x, w, bias}, {y}, fb::OperatorOptions::ConvTranspose2DOptions,
           fb::CreateConvTranspose2DOptions(b.fbb(), k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, k.pt, k.pl, k.pb, k.pr,
                                            k.output_padding_h, k.output_padding_w, k.groups, &act)
               .Union(),
           "deconv");
  b.mark_output(y);
  return b.finish();
}

std::vector<float> input_for(const ConvCase& k) { return random_values(element_count({k.n, k.c, k.h, k.w}), 10); }

}  // namespace

TEST_CASE("onednn CONV_2D matches the reference") {
  ConvCase k;
  SUBCASE("3x3, pad 1, bias") { k.pt = k.pl = k.pb = k.pr = 1; }
  SUBCASE("stride 2, asymmetric padding, no bias") {
    k.h = k.w = 9;
    k.sh = k.sw = 2;
    k.pt = 0, k.pl = 1, k.pb = 1, k.pr = 0;
    k.bias = false;
  }
  SUBCASE("dilation 2 and 3") {
    k.h = 11, k.w = 12;
    k.dh = 2, k.dw = 3;
    k.pt = k.pb = 2;
    k.pl = k.pr = 3;
  }
  SUBCASE("non-square 1x5 kernel, stride 1x2") { k.kh = 1, k.kw = 5, k.sw = 2, k.pl = 2, k.pr = 2; }
  SUBCASE("groups 2") { k.c = 6, k.m = 8, k.groups = 2, k.pt = k.pl = k.pb = k.pr = 1; }
  SUBCASE("depthwise") { k.c = k.m = k.groups = 16, k.pt = k.pl = k.pb = k.pr = 1; }
  SUBCASE("depthwise with multiplier 2, stride 2") {
    k.c = 8, k.m = 16, k.groups = 8, k.sh = k.sw = 2, k.pt = k.pl = 1;
  }
  SUBCASE("pointwise 1x1, batch 2, fused RELU") {
    k.n = 2, k.c = 32, k.m = 24, k.kh = k.kw = 1, k.activation = fb::ActivationType::RELU;
  }
  SUBCASE("wide channels (blocked JIT path), fused CLIP") {
    k.c = 32, k.m = 64, k.h = k.w = 14, k.pt = k.pl = k.pb = k.pr = 1;
    k.activation = fb::ActivationType::CLIP;
    k.clip_min = -0.5f, k.clip_max = 0.75f;
  }
  SUBCASE("20 input channels, stride 2, fused RELU (padded blocks when SSE4.1 reorders to nChw8c)") {
    k.c = 20, k.m = 12, k.h = 13, k.w = 10, k.sh = k.sw = 2, k.pt = k.pl = k.pb = k.pr = 1;
    k.activation = fb::ActivationType::RELU;
  }
  SUBCASE("kernel covers the whole input") { k.h = k.w = 5, k.kh = k.kw = 5; }
  expect_matches_reference(conv_model(k), {input_for(k)});
}

TEST_CASE("onednn CONV_TRANSPOSE_2D matches the reference") {
  ConvCase k;
  SUBCASE("stride 1, pad 1") { k.pt = k.pl = k.pb = k.pr = 1; }
  SUBCASE("stride 2, pad 1, output padding 1") {
    k.sh = k.sw = 2, k.pt = k.pl = k.pb = k.pr = 1, k.output_padding_h = k.output_padding_w = 1;
  }
  SUBCASE("output padding larger than the end padding") {
    k.sh = k.sw = 3, k.pt = k.pl = 1, k.output_padding_h = 2, k.output_padding_w = 1;
  }
  SUBCASE("4x4 kernel, stride 2, pad 1 (upsampling x2), fused RELU") {
    k.kh = k.kw = 4, k.sh = k.sw = 2, k.pt = k.pl = k.pb = k.pr = 1, k.activation = fb::ActivationType::RELU;
  }
  SUBCASE("groups 2, no bias") { k.c = 6, k.m = 4, k.groups = 2, k.bias = false, k.sh = k.sw = 2; }
  SUBCASE("dilation 2, asymmetric padding") { k.dh = k.dw = 2, k.pt = 1, k.pl = 0, k.pb = 0, k.pr = 2; }
  SUBCASE("wide channels, fused CLIP") { k.c = 32, k.m = 16, k.sh = k.sw = 2, k.activation = fb::ActivationType::CLIP; }
  expect_matches_reference(conv_transpose_model(k), {input_for(k)});
}

TEST_CASE("onednn CONV_2D refuses non-constant weights") {
  ModelBuilder b;
  const int x = b.add_input("x", {1, 2, 4, 4});
  const int w = b.add_input("w", {2, 2, 1, 1});
  const int y = b.add_tensor("y", {1, 2, 4, 4});
  b.add_op(fb::OpCode::CONV_2D, {x, w, -1}, {y}, fb::OperatorOptions::Conv2DOptions,
           fb::CreateConv2DOptions(b.fbb(), 1, 1).Union());
  b.mark_output(y);
  const std::vector<uint8_t> model = b.finish();
  // The verifier may already reject it; if it does not, the backend must.
  std::vector<uint64_t> aligned((model.size() + 7) / 8);
  std::memcpy(aligned.data(), model.data(), model.size());
  rt::ModelView view;
  if (rt::verify_model(aligned.data(), model.size(), &view).ok()) CHECK_FALSE(onednn_backend().supports(view, 0));
}

}  // namespace bespoke::test::onednn
