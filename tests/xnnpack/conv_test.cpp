// CONV_2D, CONV_TRANSPOSE_2D and FULLY_CONNECTED on XNNPACK vs the reference backend.
#include <random>
#include <string>

#include "xnnpack/xnnpack_test_util.h"

namespace bespoke::test {
namespace {

struct ConvParams {
  std::string name;
  int n, c, h, w, m, kh, kw;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int groups = 1;
  bool bias = true;
  fb::FusedActivation activation = no_activation();
};

int window_out(int in, int k, int s, int d, int p0, int p1) { return (in + p0 + p1 - d * (k - 1) - 1) / s + 1; }

void build_conv(OpCase& t, const ConvParams& p) {
  const int x = t.input({p.n, p.c, p.h, p.w});
  const int w = t.constant({p.m, p.c / p.groups, p.kh, p.kw});
  const int b = p.bias ? t.constant({p.m}) : -1;
  const int oh = window_out(p.h, p.kh, p.stride_h, p.dilation_h, p.pad_top, p.pad_bottom);
  const int ow = window_out(p.w, p.kw, p.stride_w, p.dilation_w, p.pad_left, p.pad_right);
  const int y = t.output({p.n, p.m, oh, ow});
  auto options = fb::CreateConv2DOptions(t.fbb(), p.kh, p.kw, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
                                         p.pad_top, p.pad_left, p.pad_bottom, p.pad_right, p.groups, &p.activation);
  t.op(fb::OpCode::CONV_2D, {x, w, b}, {y}, fb::OperatorOptions::Conv2DOptions, options.Union());
}

TEST_CASE("xnnpack CONV_2D matches the reference") {
  const ConvParams cases[] = {
      {"3x3 same padding, bias", 2, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
      {"1x1 pointwise (GEMM path)", 1, 16, 5, 6, 8, 1, 1},
      {"stride 2, dilation 2, asymmetric padding, RELU", 1, 4, 11, 9, 6, 3, 3, 2, 2, 2, 2, 0, 1, 2, 1, 1, true,
       relu_activation()},
      {"groups 2, no bias, CLIP", 2, 4, 6, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2, false, clip_activation(-0.5f, 0.5f)},
      {"depthwise 3x3 stride 2", 1, 8, 9, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 8},
      {"depthwise multiplier 2, 5x5 dilation 2", 1, 4, 12, 10, 8, 5, 5, 1, 1, 2, 2, 4, 4, 4, 4, 4},
      {"non-square 1x3 and 3x1 stride", 1, 3, 5, 8, 4, 1, 3, 1, 2, 1, 1, 0, 1, 0, 1},
      {"RELU6 through CLIP, single-channel input", 3, 1, 6, 6, 2, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, true,
       clip_activation(0.0f, 6.0f)},
  };
  for (const ConvParams& p : cases) {
    SUBCASE(p.name.c_str()) {
      OpCase t;
      build_conv(t, p);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack CONV_2D matches the reference on random configurations") {
  std::mt19937 rng(20240611);
  auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  for (int i = 0; i < 24; ++i) {
    ConvParams p;
    p.groups = pick(1, 3);
    p.n = pick(1, 2);
    p.c = p.groups * pick(1, 3);
    p.m = p.groups * pick(1, 3);
    p.kh = pick(1, 4), p.kw = pick(1, 4);
    p.stride_h = pick(1, 3), p.stride_w = pick(1, 3);
    p.dilation_h = pick(1, 2), p.dilation_w = pick(1, 2);
    p.pad_top = pick(0, 2), p.pad_bottom = pick(0, 2), p.pad_left = pick(0, 2), p.pad_right = pick(0, 2);
    p.h = p.dilation_h * (p.kh - 1) + pick(1, 6);
    p.w = p.dilation_w * (p.kw - 1) + pick(1, 6);
    p.bias = pick(0, 1) == 1;
    p.activation = pick(0, 1) == 1 ? relu_activation() : no_activation();
    OpCase t;
    build_conv(t, p);
    INFO("config " << i << ": groups " << p.groups << ", c " << p.c << ", m " << p.m << ", kernel " << p.kh << "x"
                   << p.kw << ", stride " << p.stride_h << "x" << p.stride_w << ", dilation " << p.dilation_h << "x"
                   << p.dilation_w << ", input " << p.h << "x" << p.w);
    t.check_matches_reference();
  }
}

TEST_CASE("xnnpack CONV_2D refuses an empty CLIP range") {
  // (Non-constant weights never reach a backend: the verifier rejects them.)
  SUBCASE("empty CLIP range") {
    OpCase t;
    build_conv(t, {"", 1, 2, 4, 4, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, true, clip_activation(1.0f, 1.0f)});
    CHECK_FALSE(t.xnnpack_supports());
  }
}

struct DeconvParams {
  std::string name;
  int n, c, h, w, m, kh, kw;
  int stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int output_padding_h = 0, output_padding_w = 0;
  int groups = 1;
  bool bias = true;
  fb::FusedActivation activation = no_activation();
};

int transposed_out(int in, int k, int s, int d, int p0, int p1, int op) {
  return s * (in - 1) + op + d * (k - 1) + 1 - p0 - p1;
}

void build_deconv(OpCase& t, const DeconvParams& p) {
  const int x = t.input({p.n, p.c, p.h, p.w});
  const int w = t.constant({p.c, p.m / p.groups, p.kh, p.kw});
  const int b = p.bias ? t.constant({p.m}) : -1;
  const int oh = transposed_out(p.h, p.kh, p.stride_h, p.dilation_h, p.pad_top, p.pad_bottom, p.output_padding_h);
  const int ow = transposed_out(p.w, p.kw, p.stride_w, p.dilation_w, p.pad_left, p.pad_right, p.output_padding_w);
  const int y = t.output({p.n, p.m, oh, ow});
  auto options = fb::CreateConvTranspose2DOptions(t.fbb(), p.kh, p.kw, p.stride_h, p.stride_w, p.dilation_h,
                                                  p.dilation_w, p.pad_top, p.pad_left, p.pad_bottom, p.pad_right,
                                                  p.output_padding_h, p.output_padding_w, p.groups, &p.activation);
  t.op(fb::OpCode::CONV_TRANSPOSE_2D, {x, w, b}, {y}, fb::OperatorOptions::ConvTranspose2DOptions, options.Union());
}

TEST_CASE("xnnpack CONV_TRANSPOSE_2D matches the reference") {
  const DeconvParams cases[] = {
      {"stride 2, pad 1, output_padding 1", 2, 4, 5, 5, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1},
      {"groups 2, dilation 2, no bias", 1, 4, 4, 6, 6, 3, 3, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 2, false},
      {"stride 3, kernel 2, asymmetric pads, RELU",
       1,
       3,
       4,
       3,
       5,
       2,
       2,
       3,
       3,
       1,
       1,
       1,
       0,
       0,
       2,
       2,
       1,
       1,
       true,
       relu_activation()},
      {"stride 2x1 kernel 4x1 (upsampling), CLIP",
       1,
       6,
       3,
       5,
       2,
       4,
       1,
       2,
       1,
       1,
       1,
       1,
       0,
       1,
       0,
       0,
       0,
       1,
       true,
       clip_activation(-0.3f, 0.3f)},
  };
  for (const DeconvParams& p : cases) {
    SUBCASE(p.name.c_str()) {
      OpCase t;
      build_deconv(t, p);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack CONV_TRANSPOSE_2D refuses output_padding >= stride") {
  // Valid ONNX (output_padding < dilation) but XNNPACK's adjustment must be below the stride.
  OpCase t;
  build_deconv(t, {"", 1, 2, 4, 4, 2, 3, 3, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1});
  CHECK_FALSE(t.xnnpack_supports());
}

void build_fully_connected(OpCase& t, const std::vector<int32_t>& x_shape, int n, bool bias,
                           fb::FusedActivation activation) {
  const int k = x_shape.back();
  std::vector<int32_t> y_shape = x_shape;
  y_shape.back() = n;
  const int x = t.input(x_shape);
  const int w = t.constant({n, k});
  const int b = bias ? t.constant({n}) : -1;
  const int y = t.output(y_shape);
  t.op(fb::OpCode::FULLY_CONNECTED, {x, w, b}, {y}, fb::OperatorOptions::FullyConnectedOptions,
       fb::CreateFullyConnectedOptions(t.fbb(), &activation).Union());
}

TEST_CASE("xnnpack FULLY_CONNECTED matches the reference") {
  SUBCASE("2-D with bias") {
    OpCase t;
    build_fully_connected(t, {4, 37}, 10, true, no_activation());
    t.check_matches_reference();
  }
  SUBCASE("3-D, leading dims flattened, RELU, no bias") {
    OpCase t;
    build_fully_connected(t, {2, 3, 16}, 7, false, relu_activation());
    t.check_matches_reference();
  }
  SUBCASE("rank-4 input with C == 1 (NHWC equals NCHW)") {
    OpCase t;
    build_fully_connected(t, {2, 1, 3, 8}, 5, true, clip_activation(-0.2f, 0.2f));
    t.check_matches_reference();
  }
  SUBCASE("rank-4 input with C > 1 and H > 1 is refused") {
    OpCase t;
    build_fully_connected(t, {1, 2, 3, 8}, 5, true, no_activation());
    CHECK_FALSE(t.xnnpack_supports());
  }
}

}  // namespace
}  // namespace bespoke::test
