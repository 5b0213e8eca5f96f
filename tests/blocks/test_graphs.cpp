#include "test_graphs.h"

#include <stdexcept>

#include "ir/passes.h"

namespace bespoke::test {

using test::Attrs;
using test::int_attr;
using test::ints_attr;
using test::random_floats;

namespace {
uint32_t next_seed() {
  static uint32_t seed = 100;
  return ++seed;
}
}  // namespace

int conv(GraphBuilder& b, int x, int64_t cin, int64_t cout, int64_t kernel, int64_t stride, const std::string& name,
         bool relu) {
  const int64_t pad = kernel / 2;
  const auto weights = static_cast<size_t>(cout * cin * kernel * kernel);
  const int w = b.floats(name + ".weight", {cout, cin, kernel, kernel}, random_floats(weights, next_seed()));
  const int bias = b.floats(name + ".bias", {cout}, random_floats(static_cast<size_t>(cout), next_seed()));
  Attrs attrs = {{"kernel_shape", ints_attr({kernel, kernel})},
                 {"strides", ints_attr({stride, stride})},
                 {"dilations", ints_attr({1, 1})},
                 {"pads", ints_attr({pad, pad, pad, pad})},
                 {"group", int_attr(1)}};
  if (relu) attrs["activation"] = std::string("Relu");
  return b.op("Conv", {x, w, bias}, attrs, name);
}

int residual_block(GraphBuilder& b, int x, int64_t channels, const std::string& name) {
  const int c1 = conv(b, x, channels, channels, 3, 1, name + "/conv1");
  const int r = b.op("Relu", {c1}, {}, name + "/relu");
  const int c2 = conv(b, r, channels, channels, 3, 1, name + "/conv2");
  const int add = b.op("Add", {c2, x}, {}, name + "/add");
  return b.op("Relu", {add}, {}, name + "/relu_out");
}

void finish(ir::Graph& g) {
  ir::infer_shapes(g);
  const auto problems = ir::validate(g, true);
  if (!problems.empty()) throw std::logic_error("test graph '" + g.name + "' is invalid: " + problems.front());
}

ir::Graph chain_graph() {
  GraphBuilder b;
  b.g.name = "chain";
  const int x = b.input("x", {1, 3, 8, 8});
  const int c1 = conv(b, x, 3, 4, 3, 1, "conv1");
  const int r = b.op("Relu", {c1}, {}, "relu1");
  b.output(conv(b, r, 4, 4, 3, 2, "conv2"));
  finish(b.g);
  return b.g;
}

ir::Graph residual_graph() {
  GraphBuilder b;
  b.g.name = "residual";
  const int x = b.input("x", {1, 4, 8, 8});
  b.output(residual_block(b, x, 4, "res"));
  finish(b.g);
  return b.g;
}

ir::Graph two_residual_graph() {
  GraphBuilder b;
  b.g.name = "two_residual";
  const int x = b.input("x", {1, 4, 8, 8});
  const int stem = conv(b, x, 4, 4, 3, 1, "stem", true);
  b.output(residual_block(b, residual_block(b, stem, 4, "res1"), 4, "res2"));
  finish(b.g);
  return b.g;
}

ir::Graph inception_graph() {
  GraphBuilder b;
  b.g.name = "inception";
  const int x = b.input("x", {1, 3, 8, 8});
  const int s = conv(b, x, 3, 4, 3, 2, "stem", true);
  const int b1 = conv(b, s, 4, 2, 1, 1, "mixed/b1", true);
  const int b2 = conv(b, conv(b, s, 4, 2, 1, 1, "mixed/b2a", true), 2, 3, 3, 1, "mixed/b2b", true);
  const int pool = b.op("MaxPool", {s},
                        {{"kernel_shape", ints_attr({3, 3})},
                         {"strides", ints_attr({1, 1})},
                         {"dilations", ints_attr({1, 1})},
                         {"pads", ints_attr({1, 1, 1, 1})}},
                        "mixed/pool");
  const int b3 = conv(b, pool, 4, 1, 1, 1, "mixed/b3", true);
  b.output(b.op("Concat", {b1, b2, b3}, {{"axis", int_attr(1)}}, "mixed/concat"));
  finish(b.g);
  return b.g;
}

}  // namespace bespoke::test
