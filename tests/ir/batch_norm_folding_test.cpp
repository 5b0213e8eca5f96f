// Conv / ConvTranspose + BatchNormalization folding, checked numerically against
// a naive (transposed) convolution followed by the batch normalization formula.
#include <doctest/doctest.h>

#include <cmath>

#include "conv_reference.h"
#include "ir/passes.h"

using namespace bespoke::ir;
using namespace bespoke::test;

namespace {

void check_fold(const ConvSpec& s, bool with_bias, bool canonical) {
  const ConvData d(s);
  const std::vector<float> gamma = random_floats(static_cast<size_t>(s.m), 4);
  const std::vector<float> beta = random_floats(static_cast<size_t>(s.m), 5);
  const std::vector<float> mean = random_floats(static_cast<size_t>(s.m), 6);
  std::vector<float> var = random_floats(static_cast<size_t>(s.m), 7);
  for (float& v : var) v = v * v + 0.1f;
  const double eps = 1e-3;

  GraphBuilder b;
  const Attrs attrs = conv_attrs(s, canonical);
  const int conv = add_layer(b, s, d, with_bias, attrs);
  const int bn = b.op("BatchNormalization",
                      {conv, b.floats("gamma", {s.m}, gamma), b.floats("beta", {s.m}, beta),
                       b.floats("mean", {s.m}, mean), b.floats("var", {s.m}, var)},
                      {{"epsilon", float_attr(eps)}}, "bn");
  b.output(bn);

  REQUIRE(fold_batch_norm(b.g) == 1);
  REQUIRE(op_sequence(b.g) == std::vector<std::string>{s.op()});
  const Node& folded = b.g.nodes[0];
  CHECK(folded.name == "conv");
  CHECK(folded.attrs == attrs);    // strides, pads, output_padding, ... untouched
  CHECK(folded.outputs[0] == bn);  // the graph output value survives
  REQUIRE(folded.inputs.size() == 3);
  const std::vector<float> w2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[1])]);
  const std::vector<float> b2 = constant_floats(b.g.values[static_cast<size_t>(folded.inputs[2])]);
  // The original weight constant is untouched (it may be shared).
  CHECK(constant_floats(value_named(b.g, "w")) == d.w);

  int64_t oh = 0, ow = 0;
  const std::vector<float> conv_out = naive_layer(s, d.x, d.w, with_bias ? &d.bias : nullptr, oh, ow);
  const std::vector<float> folded_out = naive_layer(s, d.x, w2, &b2, oh, ow);
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
        check_fold(strided_transpose(group), with_bias, canonical);
      }
}

TEST_CASE(
    "no fold when the layer output has another reader or is a graph output, the layer has a fused "
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
