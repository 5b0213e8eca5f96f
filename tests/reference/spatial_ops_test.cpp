// Reference backend vs LibTorch (float64) for the spatial operators:
// CONV_2D, CONV_TRANSPOSE_2D, FULLY_CONNECTED, BATCH_MATMUL,
// MAX/AVERAGE_POOL_2D, GLOBAL_AVERAGE_POOL, BATCH_NORM. Tolerance: kRtol /
// kAtol (reference_test_util.h).
#include <cmath>
#include <limits>
#include <utility>

#include "reference/reference_test_util.h"
#include "reference/torch_util.h"

namespace bespoke::test {
namespace {

const TorchSingleThread kTorchThreads;
using Ints = std::vector<int64_t>;

struct Activation {
  fb::ActivationType type = fb::ActivationType::NONE;
  float min = 0.0f, max = 0.0f;

  fb::FusedActivation fused() const { return fb::FusedActivation(type, min, max); }
  at::Tensor apply(const at::Tensor& y) const {
    if (type == fb::ActivationType::RELU) return at::relu(y);
    if (type == fb::ActivationType::CLIP) return at::clamp(y, min, max);
    return y;
  }
};
const Activation kNone{};
const Activation kRelu{fb::ActivationType::RELU};
const Activation kRelu6{fb::ActivationType::CLIP, 0.0f, 6.0f};
const Activation kClipSmall{fb::ActivationType::CLIP, -0.3f, 0.4f};

struct Conv {
  int n, c, h, w, m, kh, kw;
  int sh = 1, sw = 1, dh = 1, dw = 1;
  int pt = 0, pl = 0, pb = 0, pr = 0;
  int groups = 1;
  bool bias = true;
  Activation act = kNone;
};

// Weights scaled like a real initialisation (1/sqrt(fan_in)), so sums stay O(1).
std::vector<float> weights(size_t count, int fan_in, uint32_t seed) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  return random_values(count, seed, -bound, bound);
}

void check_conv2d(const Conv& p, uint32_t seed, int threads = 1) {
  INFO("conv " << p.n << "x" << p.c << "x" << p.h << "x" << p.w << " -> " << p.m << " k" << p.kh << "x" << p.kw << " s"
               << p.sh << "," << p.sw << " d" << p.dh << "," << p.dw << " pads " << p.pt << "," << p.pl << "," << p.pb
               << "," << p.pr << " g" << p.groups << " threads " << threads);
  const std::vector<int32_t> x_shape{p.n, p.c, p.h, p.w}, w_shape{p.m, p.c / p.groups, p.kh, p.kw};
  const auto x = random_values(element_count(x_shape), seed);
  const auto w = weights(element_count(w_shape), p.c / p.groups * p.kh * p.kw, seed + 1);
  const auto b = random_values(static_cast<size_t>(p.m), seed + 2);

  at::Tensor padded = at::constant_pad_nd(to_tensor(x, x_shape), Ints{p.pl, p.pr, p.pt, p.pb}, 0.0);
  at::Tensor bias = p.bias ? to_tensor(b, {p.m}) : at::Tensor();
  at::Tensor expected = p.act.apply(
      at::conv2d(padded, to_tensor(w, w_shape), bias, Ints{p.sh, p.sw}, Ints{0, 0}, Ints{p.dh, p.dw}, p.groups));

  SingleOpModel model;
  const int xi = model.input(x_shape, x);
  const int wi = model.constant(w_shape, w);
  const int bi = p.bias ? model.constant({p.m}, b) : -1;
  const int yi = model.output(shape_of(expected));
  const fb::FusedActivation act = p.act.fused();
  model.op(
      fb::OpCode::CONV_2D, {xi, wi, bi}, {yi}, fb::OperatorOptions::Conv2DOptions,
      fb::CreateConv2DOptions(model.fbb(), p.kh, p.kw, p.sh, p.sw, p.dh, p.dw, p.pt, p.pl, p.pb, p.pr, p.groups, &act)
          .Union());
  check_close(model.run(threads)[0], to_vector(expected));
}

TEST_CASE("CONV_2D matches LibTorch") {
  check_conv2d({1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, 10);
  check_conv2d({2, 4, 9, 7, 6, 3, 2, 2, 2, 1, 1, 0, 1, 1, 2, 2, true, kRelu}, 20);  // groups, stride, asymmetric pads
  check_conv2d({1, 8, 10, 11, 8, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 8, true, kRelu6}, 30);  // depthwise, dilation
  check_conv2d({1, 6, 5, 5, 12, 3, 3, 2, 1, 1, 1, 1, 0, 0, 1, 6, false}, 35);          // depthwise multiplier 2
  check_conv2d({2, 5, 6, 4, 7, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, false}, 40);           // pointwise, no bias
  check_conv2d({1, 16, 17, 13, 32, 5, 5, 2, 2, 1, 2, 2, 3, 1, 0, 1, true, kClipSmall}, 50, 2);
  check_conv2d({1, 3, 4, 4, 2, 5, 5, 3, 3, 1, 1, 3, 3, 3, 3}, 60);  // kernel wider than the input, big pads
  check_conv2d({3, 12, 7, 9, 8, 3, 1, 1, 3, 3, 1, 0, 2, 4, 1, 4, true, kRelu}, 70, 2);
}

struct ConvT {
  int n, c, h, w, m, kh, kw;
  int sh = 1, sw = 1, dh = 1, dw = 1;
  int pt = 0, pl = 0, pb = 0, pr = 0;
  int oph = 0, opw = 0;
  int groups = 1;
  bool bias = true;
  Activation act = kNone;
};

void check_conv_transpose2d(const ConvT& p, uint32_t seed, int threads = 1) {
  INFO("conv_transpose " << p.c << "->" << p.m << " k" << p.kh << "x" << p.kw << " s" << p.sh << "," << p.sw << " d"
                         << p.dh << "," << p.dw << " pads " << p.pt << "," << p.pl << "," << p.pb << "," << p.pr
                         << " out_pad " << p.oph << "," << p.opw << " g" << p.groups);
  const std::vector<int32_t> x_shape{p.n, p.c, p.h, p.w}, w_shape{p.c, p.m / p.groups, p.kh, p.kw};
  const auto x = random_values(element_count(x_shape), seed);
  const auto w = weights(element_count(w_shape), p.c / p.groups * p.kh * p.kw, seed + 1);
  const auto b = random_values(static_cast<size_t>(p.m), seed + 2);

  // LibTorch pads symmetrically: compute the unpadded result, then crop the pads.
  at::Tensor bias = p.bias ? to_tensor(b, {p.m}) : at::Tensor();
  at::Tensor full = at::conv_transpose2d(to_tensor(x, x_shape), to_tensor(w, w_shape), bias, Ints{p.sh, p.sw},
                                         Ints{0, 0}, Ints{p.oph, p.opw}, p.groups, Ints{p.dh, p.dw});
  const int64_t oh = full.size(2) - p.pt - p.pb, ow = full.size(3) - p.pl - p.pr;
  at::Tensor expected = p.act.apply(full.narrow(2, p.pt, oh).narrow(3, p.pl, ow));

  SingleOpModel model;
  const int xi = model.input(x_shape, x);
  const int wi = model.constant(w_shape, w);
  const int bi = p.bias ? model.constant({p.m}, b) : -1;
  const int yi = model.output(shape_of(expected));
  const fb::FusedActivation act = p.act.fused();
  model.op(fb::OpCode::CONV_TRANSPOSE_2D, {xi, wi, bi}, {yi}, fb::OperatorOptions::ConvTranspose2DOptions,
           fb::CreateConvTranspose2DOptions(model.fbb(), p.kh, p.kw, p.sh, p.sw, p.dh, p.dw, p.pt, p.pl, p.pb, p.pr,
                                            p.oph, p.opw, p.groups, &act)
               .Union());
  check_close(model.run(threads)[0], to_vector(expected));
}

TEST_CASE("CONV_TRANSPOSE_2D matches LibTorch") {
  check_conv_transpose2d({1, 3, 5, 5, 4, 3, 3}, 100);
  check_conv_transpose2d({2, 4, 4, 6, 6, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 2, true, kRelu}, 110);
  check_conv_transpose2d({1, 6, 5, 4, 3, 3, 2, 2, 3, 1, 1, 0, 1, 2, 0, 1, 2, 1, false}, 120);         // output padding
  check_conv_transpose2d({1, 4, 6, 5, 4, 3, 3, 1, 2, 2, 1, 2, 0, 1, 1, 1, 1, 4, true, kRelu6}, 130);  // depthwise
  check_conv_transpose2d({2, 8, 7, 7, 16, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 1, true, kClipSmall}, 140, 2);
}

void check_fully_connected(const std::vector<int32_t>& x_shape, int n_out, bool with_bias, const Activation& act,
                           uint32_t seed, int threads = 1) {
  INFO("fully_connected " << shape_text(x_shape) << " -> " << n_out);
  const int k = x_shape.back();
  const auto x = random_values(element_count(x_shape), seed);
  const auto w = weights(static_cast<size_t>(n_out * k), k, seed + 1);
  const auto b = random_values(static_cast<size_t>(n_out), seed + 2);
  at::Tensor expected = act.apply(
      at::linear(to_tensor(x, x_shape), to_tensor(w, {n_out, k}), with_bias ? to_tensor(b, {n_out}) : at::Tensor()));
  SingleOpModel model;
  const int xi = model.input(x_shape, x);
  const int wi = model.constant({n_out, k}, w);
  const int bi = with_bias ? model.constant({n_out}, b) : -1;
  const int yi = model.output(shape_of(expected));
  const fb::FusedActivation fused = act.fused();
  model.op(fb::OpCode::FULLY_CONNECTED, {xi, wi, bi}, {yi}, fb::OperatorOptions::FullyConnectedOptions,
           fb::CreateFullyConnectedOptions(model.fbb(), &fused).Union());
  check_close(model.run(threads)[0], to_vector(expected));
}

TEST_CASE("FULLY_CONNECTED matches LibTorch") {
  check_fully_connected({2, 5}, 3, true, kNone, 200);
  check_fully_connected({2, 3, 7}, 4, true, kRelu, 210);
  check_fully_connected({1, 300}, 10, false, kClipSmall, 220);
  check_fully_connected({6}, 5, true, kNone, 225);  // rank-1 input
  check_fully_connected({4, 64}, 33, true, kRelu6, 230, 2);
}

TEST_CASE("BATCH_MATMUL matches LibTorch matmul with broadcast batch dims") {
  uint32_t seed = 240;
  for (const auto& [a_shape, b_shape] : std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>>{
           {{5, 7}, {7, 3}}, {{2, 5, 7}, {7, 3}}, {{2, 1, 4, 6}, {3, 6, 5}}, {{3, 1, 8, 16}, {1, 2, 16, 4}}}) {
    INFO(shape_text(a_shape) << " x " << shape_text(b_shape));
    const auto a = random_values(element_count(a_shape), seed++);
    const auto b = random_values(element_count(b_shape), seed++);
    const at::Tensor expected = at::matmul(to_tensor(a, a_shape), to_tensor(b, b_shape));
    SingleOpModel model;
    const int ai = model.input(a_shape, a);
    const int bi = model.input(b_shape, b);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::BATCH_MATMUL, {ai, bi}, {yi});
    check_close(model.run(2)[0], to_vector(expected));
  }
}

struct Pool {
  int n, c, h, w, kh, kw;
  int sh = 1, sw = 1, dh = 1, dw = 1;
  int pt = 0, pl = 0, pb = 0, pr = 0;
  bool count_include_pad = false;
};

void run_pool(fb::OpCode code, const Pool& p, const std::vector<float>& x, const at::Tensor& expected, int threads) {
  SingleOpModel model;
  const int xi = model.input({p.n, p.c, p.h, p.w}, x);
  const int yi = model.output(shape_of(expected));
  model.op(code, {xi}, {yi}, fb::OperatorOptions::Pool2DOptions,
           fb::CreatePool2DOptions(model.fbb(), p.kh, p.kw, p.sh, p.sw, p.dh, p.dw, p.pt, p.pl, p.pb, p.pr,
                                   p.count_include_pad)
               .Union());
  check_close(model.run(threads)[0], to_vector(expected));
}

void check_max_pool(const Pool& p, uint32_t seed, int threads = 1) {
  INFO("max_pool k" << p.kh << "x" << p.kw << " s" << p.sh << "," << p.sw << " d" << p.dh << "," << p.dw << " pads "
                    << p.pt << "," << p.pl << "," << p.pb << "," << p.pr);
  const auto x = random_values(element_count({p.n, p.c, p.h, p.w}), seed);
  // Padded cells are -inf: pad explicitly (asymmetric), then pool unpadded.
  at::Tensor padded = at::constant_pad_nd(to_tensor(x, {p.n, p.c, p.h, p.w}), Ints{p.pl, p.pr, p.pt, p.pb},
                                          -std::numeric_limits<double>::infinity());
  at::Tensor expected = at::max_pool2d(padded, Ints{p.kh, p.kw}, Ints{p.sh, p.sw}, Ints{0, 0}, Ints{p.dh, p.dw});
  run_pool(fb::OpCode::MAX_POOL_2D, p, x, expected, threads);
}

// Average pooling as (window sum) / (divisor), both from im2col so that
// dilation and asymmetric pads are covered independently of avg_pool2d.
at::Tensor window_sums(const at::Tensor& padded, const Pool& p) {
  at::Tensor columns = at::im2col(padded, Ints{p.kh, p.kw}, Ints{p.dh, p.dw}, Ints{0, 0}, Ints{p.sh, p.sw});
  const int64_t oh = (padded.size(2) - p.dh * (p.kh - 1) - 1) / p.sh + 1;
  const int64_t ow = (padded.size(3) - p.dw * (p.kw - 1) - 1) / p.sw + 1;
  return columns.view({padded.size(0), padded.size(1), p.kh * p.kw, oh, ow}).sum(2);
}

void check_average_pool(const Pool& p, uint32_t seed, int threads = 1) {
  INFO("average_pool k" << p.kh << "x" << p.kw << " s" << p.sh << "," << p.sw << " d" << p.dh << "," << p.dw << " pads "
                        << p.pt << "," << p.pl << "," << p.pb << "," << p.pr << " count_include_pad "
                        << p.count_include_pad);
  const std::vector<int32_t> shape{p.n, p.c, p.h, p.w};
  const auto x = random_values(element_count(shape), seed);
  const std::vector<int64_t> pads{p.pl, p.pr, p.pt, p.pb};
  at::Tensor sums = window_sums(at::constant_pad_nd(to_tensor(x, shape), pads, 0.0), p);
  at::Tensor divisor = p.count_include_pad
                           ? at::full_like(sums, static_cast<double>(p.kh * p.kw))
                           : window_sums(at::constant_pad_nd(at::ones_like(to_tensor(x, shape)), pads, 0.0), p);
  at::Tensor expected = sums / divisor;
  run_pool(fb::OpCode::AVERAGE_POOL_2D, p, x, expected, threads);

  // Where avg_pool2d can express the case (no dilation, symmetric pads), it must agree too.
  if (p.dh == 1 && p.dw == 1 && p.pt == p.pb && p.pl == p.pr && 2 * p.pt <= p.kh && 2 * p.pl <= p.kw) {
    at::Tensor torch_avg = at::avg_pool2d(to_tensor(x, shape), Ints{p.kh, p.kw}, Ints{p.sh, p.sw}, Ints{p.pt, p.pl},
                                          false, p.count_include_pad);
    check_close(to_vector(expected), to_vector(torch_avg));
  }
}

TEST_CASE("MAX_POOL_2D matches LibTorch") {
  check_max_pool({1, 3, 8, 8, 2, 2, 2, 2}, 300);
  check_max_pool({2, 4, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, 310);
  check_max_pool({1, 2, 10, 11, 3, 2, 1, 2, 2, 1, 0, 1, 2, 0}, 320);     // dilation, asymmetric pads
  check_max_pool({2, 8, 13, 13, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1}, 330, 2);  // ceil_mode resolved into end pads
}

TEST_CASE("AVERAGE_POOL_2D matches LibTorch") {
  check_average_pool({1, 3, 8, 8, 2, 2, 2, 2}, 400);
  check_average_pool({2, 4, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, false}, 410);
  check_average_pool({2, 4, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true}, 415);
  check_average_pool({1, 2, 10, 11, 3, 2, 1, 2, 2, 1, 0, 1, 2, 0, false}, 420);  // dilation, asymmetric
  check_average_pool({1, 2, 10, 11, 3, 2, 1, 2, 2, 1, 0, 1, 2, 0, true}, 425);
  check_average_pool({2, 8, 13, 13, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, false}, 430, 2);
}

TEST_CASE("GLOBAL_AVERAGE_POOL matches LibTorch") {
  for (const std::vector<int32_t>& shape : {std::vector<int32_t>{1, 3, 8, 8}, {2, 5, 7, 3}, {4, 16, 1, 1}}) {
    INFO("shape " << shape_text(shape));
    const auto x = random_values(element_count(shape), 500);
    at::Tensor expected = to_tensor(x, shape).mean({2, 3}, true);
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::GLOBAL_AVERAGE_POOL, {xi}, {yi});
    check_close(model.run(2)[0], to_vector(expected));
  }
}

TEST_CASE("BATCH_NORM matches LibTorch") {
  for (const std::vector<int32_t>& shape : {std::vector<int32_t>{2, 3, 5, 4}, {3, 6, 7}, {4, 5}}) {
    INFO("shape " << shape_text(shape));
    const int c = shape[1];
    const auto x = random_values(element_count(shape), 600);
    const auto scale = random_values(static_cast<size_t>(c), 601, -2.0f, 2.0f);
    const auto bias = random_values(static_cast<size_t>(c), 602);
    const auto mean = random_values(static_cast<size_t>(c), 603);
    const auto var = random_values(static_cast<size_t>(c), 604, 0.1f, 2.0f);
    const float epsilon = 1e-3f;
    at::Tensor expected = at::batch_norm(to_tensor(x, shape), to_tensor(scale, {c}), to_tensor(bias, {c}),
                                         to_tensor(mean, {c}), to_tensor(var, {c}), false, 0.1, epsilon, false);
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const std::vector<int32_t> params{model.constant({c}, scale), model.constant({c}, bias), model.constant({c}, mean),
                                      model.constant({c}, var)};
    const int yi = model.output(shape);
    model.op(fb::OpCode::BATCH_NORM, {xi, params[0], params[1], params[2], params[3]}, {yi},
             fb::OperatorOptions::BatchNormOptions, fb::CreateBatchNormOptions(model.fbb(), epsilon).Union());
    check_close(model.run()[0], to_vector(expected));
  }
}

}  // namespace
}  // namespace bespoke::test
