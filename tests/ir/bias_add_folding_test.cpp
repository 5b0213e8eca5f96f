// Conv / ConvTranspose + per-channel constant Add folded into the bias, checked numerically
// against a naive (transposed) convolution followed by the Add; the Paddle2ONNX
// ConvTranspose -> Add -> BatchNormalization -> Relu chain through the pipeline; and the
// addend shapes, readers and activations that must leave the graph alone.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "conv_reference.h"
#include "ir/passes.h"

using namespace bespoke::ir;
using namespace bespoke::test;

namespace {

using Ops = std::vector<std::string>;

const Value& input_value(const Graph& g, const Node& n, size_t i) { return g.values[static_cast<size_t>(n.inputs[i])]; }

// layer -> Add(layer, c) (or Add(c, layer)), c of `addend_shape` with M elements.
void check_fold(const ConvSpec& s, bool with_bias, bool constant_first, const Shape& addend_shape) {
  const ConvData d(s);
  const std::vector<float> addend = random_floats(static_cast<size_t>(s.m), 4);
  GraphBuilder b;
  const Attrs attrs = conv_attrs(s, false);
  const int conv = add_layer(b, s, d, with_bias, attrs);
  const int c = b.floats("c", addend_shape, addend);
  const int sum = b.op("Add", constant_first ? std::vector<int>{c, conv} : std::vector<int>{conv, c}, {}, "add");
  b.output(sum);
  infer_shapes(b.g);  // as in the pipeline: the pass then also compares the Add's and layer's output shapes

  REQUIRE(fold_bias_add(b.g) == 1);
  REQUIRE(op_sequence(b.g) == Ops{s.op()});
  const Node& folded = b.g.nodes[0];
  CHECK(folded.name == "conv");
  CHECK(folded.attrs == attrs);
  CHECK(folded.outputs[0] == sum);  // the graph output value survives
  REQUIRE(folded.inputs.size() == 3);
  CHECK(constant_floats(input_value(b.g, folded, 1)) == d.w);
  // New constants only: the old bias and the addend may be shared.
  if (with_bias) CHECK(constant_floats(value_named(b.g, "b")) == d.bias);
  CHECK(constant_floats(value_named(b.g, "c")) == addend);
  CHECK(validate(b.g, false).empty());

  int64_t oh = 0, ow = 0;
  const std::vector<float> b2 = constant_floats(input_value(b.g, folded, 2));
  const std::vector<float> layer_out = naive_layer(s, d.x, d.w, with_bias ? &d.bias : nullptr, oh, ow);
  const std::vector<float> folded_out = naive_layer(s, d.x, d.w, &b2, oh, ow);
  for (size_t i = 0; i < layer_out.size(); ++i) {
    const size_t o = (i / static_cast<size_t>(oh * ow)) % static_cast<size_t>(s.m);
    CHECK(folded_out[i] == doctest::Approx(static_cast<double>(layer_out[i]) + addend[o]).epsilon(1e-5).scale(1.0));
  }
}

void check_fold_variants(const ConvSpec& s) {
  for (bool with_bias : {false, true})
    for (bool constant_first : {false, true})
      for (const Shape& addend_shape : {Shape{1, s.m, 1, 1}, Shape{s.m, 1, 1}}) {
        CAPTURE(with_bias);
        CAPTURE(constant_first);
        CAPTURE(shape_string(addend_shape));
        check_fold(s, with_bias, constant_first, addend_shape);
      }
}

// x [1,2,2,2] -> op(1x1 weight) -> [1,2,2,2]: M = H = W, so an addend with its
// two values on the wrong axis still broadcasts.
struct SmallLayer {
  GraphBuilder b;
  int out = -1;

  explicit SmallLayer(const char* op, Attrs attrs = {}) {
    out = b.op(op, {b.input("x", {1, 2, 2, 2}), b.floats("w", {2, 2, 1, 1}, {1, 0, 0, 1})}, std::move(attrs));
  }
  int add_constant(const Shape& shape) {
    return b.op("Add", {out, b.floats("c", shape, std::vector<float>(static_cast<size_t>(shape_elements(shape)), 1))});
  }
  // No fold, with output shapes unknown (the addend's shape alone decides) and inferred.
  int folds() {
    const int before = fold_bias_add(b.g);
    infer_shapes(b.g);
    return before + fold_bias_add(b.g);
  }
};

}  // namespace

TEST_CASE("a per-channel constant Add folds into a grouped Conv's bias") { check_fold_variants(ConvSpec{}); }

TEST_CASE("a per-channel constant Add folds into a strided ConvTranspose's bias, groups 1 and 2") {
  for (int64_t group : {1, 2}) {
    CAPTURE(group);
    check_fold_variants(strided_transpose(group));
  }
}

TEST_CASE("the pipeline folds Paddle's ConvTranspose -> Add -> BatchNormalization -> Relu into one layer") {
  const ConvSpec s = strided_transpose(1);
  const ConvData d(s);
  const std::vector<float> addend = random_floats(static_cast<size_t>(s.m), 4);
  const std::vector<float> gamma = random_floats(static_cast<size_t>(s.m), 5);
  const std::vector<float> beta = random_floats(static_cast<size_t>(s.m), 6);
  const std::vector<float> mean = random_floats(static_cast<size_t>(s.m), 7);
  std::vector<float> var = random_floats(static_cast<size_t>(s.m), 8);
  for (float& v : var) v = v * v + 0.1f;

  GraphBuilder b;
  const int conv = add_layer(b, s, d, false, conv_attrs(s, false));
  const int sum = b.op("Add", {conv, b.floats("c", {1, s.m, 1, 1}, addend)});
  const int bn = b.op("BatchNormalization", {sum, b.floats("gamma", {s.m}, gamma), b.floats("beta", {s.m}, beta),
                                             b.floats("mean", {s.m}, mean), b.floats("var", {s.m}, var)});
  b.output(b.op("Relu", {bn}));
  optimize_for_inference(b.g);

  REQUIRE(op_sequence(b.g) == Ops{"ConvTranspose"});
  const Node& folded = b.g.nodes[0];
  CHECK(folded.get_string("activation", "") == "Relu");
  REQUIRE(folded.inputs.size() == 3);
  const std::vector<float> w2 = constant_floats(input_value(b.g, folded, 1));
  const std::vector<float> b2 = constant_floats(input_value(b.g, folded, 2));
  int64_t oh = 0, ow = 0;
  const std::vector<float> layer_out = naive_layer(s, d.x, d.w, nullptr, oh, ow);
  const std::vector<float> folded_out = naive_layer(s, d.x, w2, &b2, oh, ow);
  for (size_t i = 0; i < layer_out.size(); ++i) {
    const size_t o = (i / static_cast<size_t>(oh * ow)) % static_cast<size_t>(s.m);
    const double normalized = (static_cast<double>(layer_out[i]) + addend[o] - mean[o]) /
                                  std::sqrt(static_cast<double>(var[o]) + 1e-5) * gamma[o] +
                              beta[o];
    CHECK(std::max(folded_out[i], 0.0f) == doctest::Approx(std::max(normalized, 0.0)).epsilon(1e-5).scale(1.0));
  }
}

TEST_CASE("no fold when the addend is not one value per output channel") {
  for (const char* op : {"Conv", "ConvTranspose"})
    for (const Shape& shape : {Shape{1, 1, 2, 2},        // per position
                               Shape{1, 2, 2, 2},        // per element
                               Shape{1, 2, 1},           // M values along H
                               Shape{1, 1, 1, 2},        // ... along W
                               Shape{2, 1},              // ... along H, rank 2
                               Shape{1, 2, 1, 1, 1}}) {  // per channel, but grows the output to rank 5
      CAPTURE(op);
      CAPTURE(shape_string(shape));
      SmallLayer l(op);
      l.b.output(l.add_constant(shape));
      CHECK(l.folds() == 0);
    }
}

TEST_CASE(
    "no fold when the layer output has another reader or is a graph output, the addend is not constant, "
    "or the layer or the Add has a fused activation") {
  for (const char* op : {"Conv", "ConvTranspose"}) {
    CAPTURE(op);
    SmallLayer shared(op);
    shared.b.output(shared.add_constant({1, 2, 1, 1}));
    shared.b.output(shared.b.op("Relu", {shared.out}));
    CHECK(shared.folds() == 0);

    SmallLayer exposed(op);
    exposed.b.output(exposed.out);
    exposed.b.output(exposed.add_constant({1, 2, 1, 1}));
    CHECK(exposed.folds() == 0);

    SmallLayer dynamic(op);
    dynamic.b.output(dynamic.b.op("Add", {dynamic.out, dynamic.b.input("c", {1, 2, 1, 1})}));
    CHECK(dynamic.folds() == 0);

    SmallLayer activated(op, {{"activation", str_attr("Relu")}});  // Relu(x) + c is not Relu(x + c)
    activated.b.output(activated.add_constant({1, 2, 1, 1}));
    CHECK(activated.folds() == 0);

    SmallLayer activated_add(op);
    activated_add.b.output(activated_add.b.op("Add",
                                              {activated_add.out, activated_add.b.floats("c", {1, 2, 1, 1}, {1, 1})},
                                              {{"activation", str_attr("Relu")}}));
    CHECK(activated_add.folds() == 0);
  }
}
