#include "arch/graph_builder.h"

#include <cmath>

#include "ir/passes.h"

namespace bespoke::arch {

GraphBuilder::GraphBuilder(std::string graph_name, uint64_t seed) : rng_(seed) { g_.name = std::move(graph_name); }

int GraphBuilder::input(const std::string& name, const ir::Shape& shape) {
  ir::Value v;
  v.name = name;
  v.shape = shape;
  const int id = g_.add_value(std::move(v));
  g_.inputs.push_back(id);
  return id;
}

int GraphBuilder::constant(const std::string& name, ir::Shape shape, std::vector<float> values) {
  return g_.add_constant(name, ir::TensorData::from_floats(std::move(shape), values));
}

int GraphBuilder::node(const std::string& op, const std::string& name, std::vector<int> inputs) {
  ir::Value out;
  out.name = name;
  const int y = g_.add_value(std::move(out));
  ir::Node n;
  n.name = name;
  n.op = op;
  n.inputs = std::move(inputs);
  n.outputs = {y};
  g_.add_node(std::move(n));
  return y;
}

int GraphBuilder::conv(int x, int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride,
                       const std::string& name) {
  const double stddev = std::sqrt(2.0 / static_cast<double>(out_channels * kernel * kernel));
  std::vector<float> w(static_cast<size_t>(out_channels * in_channels * kernel * kernel));
  for (float& v : w) v = static_cast<float>(rng_.normal() * stddev);
  const int weight = constant(name + ".weight", {out_channels, in_channels, kernel, kernel}, std::move(w));
  const int y = node("Conv", name, {x, weight});
  ir::Node& n = g_.nodes.back();
  const int64_t pad = kernel / 2;
  n.attrs["kernel_shape"] = std::vector<int64_t>{kernel, kernel};
  n.attrs["strides"] = std::vector<int64_t>{stride, stride};
  n.attrs["dilations"] = std::vector<int64_t>{1, 1};
  n.attrs["pads"] = std::vector<int64_t>{pad, pad, pad, pad};
  n.attrs["group"] = int64_t{1};
  return y;
}

int GraphBuilder::batch_norm(int x, int64_t channels, const std::string& name, bool zero_scale) {
  const auto c = static_cast<size_t>(channels);
  const int scale = constant(name + ".scale", {channels}, std::vector<float>(c, zero_scale ? 0.0f : 1.0f));
  const int bias = constant(name + ".bias", {channels}, std::vector<float>(c, 0.0f));
  const int mean = constant(name + ".running_mean", {channels}, std::vector<float>(c, 0.0f));
  const int var = constant(name + ".running_var", {channels}, std::vector<float>(c, 1.0f));
  const int y = node("BatchNormalization", name, {x, scale, bias, mean, var});
  g_.nodes.back().attrs["epsilon"] = 1e-5;
  return y;
}

int GraphBuilder::relu(int x, const std::string& name) { return node("Relu", name, {x}); }

int GraphBuilder::add(int a, int b, const std::string& name) { return node("Add", name, {a, b}); }

int GraphBuilder::global_average_pool(int x, const std::string& name) { return node("GlobalAveragePool", name, {x}); }

int GraphBuilder::flatten(int x, int64_t batch, int64_t channels, const std::string& name) {
  const int y = node("Reshape", name, {x});
  g_.values[static_cast<size_t>(y)].shape = ir::Shape{batch, channels};  // canonical Reshape: the target is this shape
  return y;
}

int GraphBuilder::fully_connected(int x, int64_t in_features, int64_t out_features, const std::string& name) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
  auto uniform = [&](size_t n) {
    std::vector<float> v(n);
    for (float& e : v) e = static_cast<float>((2.0 * rng_.uniform() - 1.0) * bound);
    return v;
  };
  const int weight =
      constant(name + ".weight", {out_features, in_features}, uniform(static_cast<size_t>(out_features * in_features)));
  const int bias = constant(name + ".bias", {out_features}, uniform(static_cast<size_t>(out_features)));
  return node("FullyConnected", name, {x, weight, bias});
}

void GraphBuilder::output(int value) { g_.outputs.push_back(value); }

ir::Graph GraphBuilder::finish() {
  ir::topological_sort(g_);
  ir::infer_shapes(g_);
  const std::vector<std::string> problems = ir::validate(g_, /*require_canonical=*/true);
  if (!problems.empty()) {
    std::string text = "architecture '" + g_.name + "' is not a valid canonical graph:";
    for (const std::string& p : problems) text += " " + p + ";";
    throw ir::GraphError(text);
  }
  return std::move(g_);
}

}  // namespace bespoke::arch
