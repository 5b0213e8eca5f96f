// Conv + BatchNormalization folding, checked numerically against a naive
// convolution followed by the batch normalization formula.
#include <doctest/doctest.h>

#include <cmath>

#include "graph_builder.h"
#include "ir/passes.h"

using namespace bespoke::ir;
using namespace bespoke::ir::test;

namespace {

struct ConvSpec {
  int64_t n = 1, c = 4, h = 6, w = 5, m = 6, k = 3, group = 2, stride = 1, pad = 1;
};

// Direct NCHW convolution (weights [M, C/group, k, k], optional bias).
std::vector<float> naive_conv(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                              const std::vector<float>* bias, int64_t& oh, int64_t& ow) {
  oh = (s.h + 2 * s.pad - s.k) / s.stride + 1;
  ow = (s.w + 2 * s.pad - s.k) / s.stride + 1;
  const int64_t cg = s.c / s.group, mg = s.m / s.group;
  std::vector<float> y(static_cast<size_t>(s.n * s.m * oh * ow));
  for (int64_t b = 0; b < s.n; ++b)
    for (int64_t o = 0; o < s.m; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double acc = bias ? (*bias)[static_cast<size_t>(o)] : 0.0;
          const int64_t g = o / mg;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t ki = 0; ki < s.k; ++ki)
              for (int64_t kj = 0; kj < s.k; ++kj) {
                const int64_t yi = i * s.stride - s.pad + ki, xj = j * s.stride - s.pad + kj;
                if (yi < 0 || yi >= s.h || xj < 0 || xj >= s.w) continue;
                const int64_t c = g * cg + ci;
                acc += static_cast<double>(x[static_cast<size_t>(((b * s.c + c) * s.h + yi) * s.w + xj)]) *
                       w[static_cast<size_t>(((o * cg + ci) * s.k + ki) * s.k + kj)];
              }
          y[static_cast<size_t>(((b * s.m + o) * oh + i) * ow + j)] = static_cast<float>(acc);
        }
  return y;
}

void check_fold(bool with_bias, bool canonical) {
  const ConvSpec s;
  const std::vector<float> x = random_floats(static_cast<size_t>(s.n * s.c * s.h * s.w), 1);
  const std::vector<float> w = random_floats(static_cast<size_t>(s.m * (s.c / s.group) * s.k * s.k), 2);
  const std::vector<float> bias = random_floats(static_cast<size_t>(s.m), 3);
  const std::vector<float> gamma = random_floats(static_cast<size_t>(s.m), 4);
  const std::vector<float> beta = random_floats(static_cast<size_t>(s.m), 5);
  const std::vector<float> mean = random_floats(static_cast<size_t>(s.m), 6);
  std::vector<float> var = random_floats(static_cast<size_t>(s.m), 7);
  for (float& v : var) v = v * v + 0.1f;
  const double eps = 1e-3;

  GraphBuilder b;
  const int in = b.input("x", {s.n, s.c, s.h, s.w});
  const int wid = b.floats("w", {s.m, s.c / s.group, s.k, s.k}, w);
  std::vector<int> conv_inputs{in, wid};
  if (with_bias) conv_inputs.push_back(b.floats("b", {s.m}, bias));
  Attrs attrs{{"group", int_attr(s.group)}, {"pads", ints_attr({s.pad, s.pad, s.pad, s.pad})}};
  if (canonical) {
    attrs["kernel_shape"] = ints_attr({s.k, s.k});
    attrs["strides"] = ints_attr({1, 1});
    attrs["dilations"] = ints_attr({1, 1});
  }
  const int conv = b.op("Conv", conv_inputs, attrs, "conv");
  const int bn = b.op("BatchNormalization",
                      {conv, b.floats("gamma", {s.m}, gamma), b.floats("beta", {s.m}, beta),
                       b.floats("mean", {s.m}, mean), b.floats("var", {s.m}, var)},
                      {{"epsilon", float_attr(eps)}}, "bn");
  b.output(bn);

  REQUIRE(fold_batch_norm(b.g) == 1);
  REQUIRE(op_sequence(b.g) == std::vector<std::string>{"Conv"});
  const Node& folded = b.g.nodes[0];
  CHECK(folded.name == "conv");
  CHECK(folded.outputs[0] == bn);  // the graph output value survives
  REQUIRE(folded.inputs.size() == 3);
  const std::vector<float> w2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[1])]);
  const std::vector<float> b2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[2])]);
  // The original weight constant is untouched (it may be shared).
  CHECK(constant_floats(value_named(b.g, "w")) == w);

  int64_t oh = 0, ow = 0;
  const std::vector<float> conv_out = naive_conv(s, x, w, with_bias ? &bias : nullptr, oh, ow);
  const std::vector<float> folded_out = naive_conv(s, x, w2, &b2, oh, ow);
  for (size_t i = 0; i < conv_out.size(); ++i) {
    const size_t o = (i / static_cast<size_t>(oh * ow)) % static_cast<size_t>(s.m);
    const double reference =
        (conv_out[i] - mean[o]) / std::sqrt(static_cast<double>(var[o]) + eps) * gamma[o] + beta[o];
    CHECK(folded_out[i] == doctest::Approx(reference).epsilon(1e-5).scale(1.0));
  }
}

}  // namespace

TEST_CASE("BatchNormalization folds into a grouped Conv, with and without bias, ONNX and canonical") {
  for (bool with_bias : {false, true})
    for (bool canonical : {false, true}) {
      CAPTURE(with_bias);
      CAPTURE(canonical);
      check_fold(with_bias, canonical);
    }
}

TEST_CASE("no fold when the Conv output has another reader, is a graph output, or the statistics are not constant") {
  GraphBuilder shared;
  const int x = shared.input("x", {1, 2, 3, 3});
  const int w = shared.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
  const int p = shared.floats("p", {2}, {1, 1});
  const int conv = shared.op("Conv", {x, w});
  shared.output(shared.op("BatchNormalization", {conv, p, p, p, p}));
  shared.output(shared.op("Relu", {conv}));
  CHECK(fold_batch_norm(shared.g) == 0);

  GraphBuilder exposed;
  const int x2 = exposed.input("x", {1, 2, 3, 3});
  const int w2 = exposed.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
  const int p2 = exposed.floats("p", {2}, {1, 1});
  const int conv2 = exposed.op("Conv", {x2, w2});
  exposed.output(conv2);
  exposed.output(exposed.op("BatchNormalization", {conv2, p2, p2, p2, p2}));
  CHECK(fold_batch_norm(exposed.g) == 0);

  GraphBuilder dynamic;
  const int x3 = dynamic.input("x", {1, 2, 3, 3});
  const int scale = dynamic.input("scale", {2});
  const int w3 = dynamic.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
  const int p3 = dynamic.floats("p", {2}, {1, 1});
  dynamic.output(dynamic.op("BatchNormalization", {dynamic.op("Conv", {x3, w3}), scale, p3, p3, p3}));
  CHECK(fold_batch_norm(dynamic.g) == 0);
}
