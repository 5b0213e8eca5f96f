// Conv / ConvTranspose + BatchNormalization folding, checked numerically against
// a naive (transposed) convolution followed by the batch normalization formula.
#include <doctest/doctest.h>

#include <cmath>

#include "graph_builder.h"
#include "ir/passes.h"

using namespace bespoke::ir;
using namespace bespoke::ir::test;

namespace {

struct ConvSpec {
  int64_t n = 1, c = 4, h = 6, w = 5, m = 6, k = 3, group = 2, stride = 1, pad = 1;
  bool transposed = false;     // ConvTranspose instead of Conv
  int64_t output_padding = 0;  // ConvTranspose only

  const char* op() const { return transposed ? "ConvTranspose" : "Conv"; }
  Shape weight_shape() const { return transposed ? Shape{c, m / group, k, k} : Shape{m, c / group, k, k}; }
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

// Direct NCHW transposed convolution (weights [C, M/group, k, k], optional bias):
// input element (c, i, j) scatters w[c][jo] into output channel group(c) * M/group + jo.
std::vector<float> naive_conv_transpose(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                                        const std::vector<float>* bias, int64_t& oh, int64_t& ow) {
  oh = (s.h - 1) * s.stride - 2 * s.pad + s.k + s.output_padding;
  ow = (s.w - 1) * s.stride - 2 * s.pad + s.k + s.output_padding;
  const int64_t cg = s.c / s.group, mg = s.m / s.group;
  std::vector<double> acc(static_cast<size_t>(s.n * s.m * oh * ow));
  for (size_t e = 0; e < acc.size(); ++e)
    acc[e] = bias ? (*bias)[e / static_cast<size_t>(oh * ow) % static_cast<size_t>(s.m)] : 0.0;
  for (int64_t b = 0; b < s.n; ++b)
    for (int64_t c = 0; c < s.c; ++c)
      for (int64_t i = 0; i < s.h; ++i)
        for (int64_t j = 0; j < s.w; ++j) {
          const double xv = x[static_cast<size_t>(((b * s.c + c) * s.h + i) * s.w + j)];
          for (int64_t jo = 0; jo < mg; ++jo)
            for (int64_t ki = 0; ki < s.k; ++ki)
              for (int64_t kj = 0; kj < s.k; ++kj) {
                const int64_t yi = i * s.stride - s.pad + ki, yj = j * s.stride - s.pad + kj;
                if (yi < 0 || yi >= oh || yj < 0 || yj >= ow) continue;
                const int64_t o = c / cg * mg + jo;
                acc[static_cast<size_t>(((b * s.m + o) * oh + yi) * ow + yj)] +=
                    xv * w[static_cast<size_t>(((c * mg + jo) * s.k + ki) * s.k + kj)];
              }
        }
  return std::vector<float>(acc.begin(), acc.end());
}

std::vector<float> naive_layer(const ConvSpec& s, const std::vector<float>& x, const std::vector<float>& w,
                               const std::vector<float>* bias, int64_t& oh, int64_t& ow) {
  return s.transposed ? naive_conv_transpose(s, x, w, bias, oh, ow) : naive_conv(s, x, w, bias, oh, ow);
}

void check_fold(const ConvSpec& s, bool with_bias, bool canonical) {
  const std::vector<float> x = random_floats(static_cast<size_t>(s.n * s.c * s.h * s.w), 1);
  const std::vector<float> w = random_floats(static_cast<size_t>(shape_elements(s.weight_shape())), 2);
  const std::vector<float> bias = random_floats(static_cast<size_t>(s.m), 3);
  const std::vector<float> gamma = random_floats(static_cast<size_t>(s.m), 4);
  const std::vector<float> beta = random_floats(static_cast<size_t>(s.m), 5);
  const std::vector<float> mean = random_floats(static_cast<size_t>(s.m), 6);
  std::vector<float> var = random_floats(static_cast<size_t>(s.m), 7);
  for (float& v : var) v = v * v + 0.1f;
  const double eps = 1e-3;

  GraphBuilder b;
  const int in = b.input("x", {s.n, s.c, s.h, s.w});
  const int wid = b.floats("w", s.weight_shape(), w);
  std::vector<int> conv_inputs{in, wid};
  if (with_bias) conv_inputs.push_back(b.floats("b", {s.m}, bias));
  Attrs attrs{{"group", int_attr(s.group)}, {"pads", ints_attr({s.pad, s.pad, s.pad, s.pad})}};
  if (canonical || s.stride != 1) attrs["strides"] = ints_attr({s.stride, s.stride});
  if (s.transposed && (canonical || s.output_padding != 0))
    attrs["output_padding"] = ints_attr({s.output_padding, s.output_padding});
  if (canonical) {
    attrs["kernel_shape"] = ints_attr({s.k, s.k});
    attrs["dilations"] = ints_attr({1, 1});
  }
  const int conv = b.op(s.op(), conv_inputs, attrs, "conv");
  const int bn = b.op("BatchNormalization",
                      {conv, b.floats("gamma", {s.m}, gamma), b.floats("beta", {s.m}, beta),
                       b.floats("mean", {s.m}, mean), b.floats("var", {s.m}, var)},
                      {{"epsilon", float_attr(eps)}}, "bn");
  b.output(bn);

  REQUIRE(fold_batch_norm(b.g) == 1);
  REQUIRE(op_sequence(b.g) == std::vector<std::string>{s.op()});
  const Node& folded = b.g.nodes[0];
  CHECK(folded.name == "conv");
  CHECK(folded.attrs == attrs);  // strides, pads, output_padding, ... untouched
  CHECK(folded.outputs[0] == bn);  // the graph output value survives
  REQUIRE(folded.inputs.size() == 3);
  const std::vector<float> w2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[1])]);
  const std::vector<float> b2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[2])]);
  // The original weight constant is untouched (it may be shared).
  CHECK(constant_floats(value_named(b.g, "w")) == w);

  int64_t oh = 0, ow = 0;
  const std::vector<float> conv_out = naive_layer(s, x, w, with_bias ? &bias : nullptr, oh, ow);
  const std::vector<float> folded_out = naive_layer(s, x, w2, &b2, oh, ow);
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
      check_fold(ConvSpec{}, with_bias, canonical);
    }
}

TEST_CASE("BatchNormalization folds into a strided ConvTranspose, groups 1 and 2, with and without bias") {
  for (int64_t group : {1, 2})
    for (bool with_bias : {false, true})
      for (bool canonical : {false, true}) {
        CAPTURE(group);
        CAPTURE(with_bias);
        CAPTURE(canonical);
        ConvSpec s;
        s.transposed = true;
        s.group = group;
        s.stride = 2;
        s.output_padding = 1;
        check_fold(s, with_bias, canonical);
      }
}

TEST_CASE("no fold when the layer output has another reader or is a graph output, the layer has a fused "
          "activation, or the statistics are not constant") {
  for (const char* op : {"Conv", "ConvTranspose"}) {
    CAPTURE(op);
    GraphBuilder shared;
    const int x = shared.input("x", {1, 2, 3, 3});
    const int w = shared.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
    const int p = shared.floats("p", {2}, {1, 1});
    const int conv = shared.op(op, {x, w});
    shared.output(shared.op("BatchNormalization", {conv, p, p, p, p}));
    shared.output(shared.op("Relu", {conv}));
    CHECK(fold_batch_norm(shared.g) == 0);

    GraphBuilder exposed;
    const int x2 = exposed.input("x", {1, 2, 3, 3});
    const int w2 = exposed.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
    const int p2 = exposed.floats("p", {2}, {1, 1});
    const int conv2 = exposed.op(op, {x2, w2});
    exposed.output(conv2);
    exposed.output(exposed.op("BatchNormalization", {conv2, p2, p2, p2, p2}));
    CHECK(fold_batch_norm(exposed.g) == 0);

    GraphBuilder activated;  // BN(Relu(conv)) is not an affine map of conv
    const int x3 = activated.input("x", {1, 2, 3, 3});
    const int w3 = activated.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
    const int p3 = activated.floats("p", {2}, {1, 1});
    const int conv3 = activated.op(op, {x3, w3}, {{"activation", str_attr("Relu")}});
    activated.output(activated.op("BatchNormalization", {conv3, p3, p3, p3, p3}));
    CHECK(fold_batch_norm(activated.g) == 0);

    GraphBuilder dynamic;
    const int x4 = dynamic.input("x", {1, 2, 3, 3});
    const int scale = dynamic.input("scale", {2});
    const int w4 = dynamic.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1});
    const int p4 = dynamic.floats("p", {2}, {1, 1});
    dynamic.output(dynamic.op("BatchNormalization", {dynamic.op(op, {x4, w4}), scale, p4, p4, p4}));
    CHECK(fold_batch_norm(dynamic.g) == 0);
  }
}
