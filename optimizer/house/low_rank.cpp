#include "house/low_rank.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "house/graph_rewrite.h"

namespace bespoke::house {

namespace {

std::vector<float> to_vector(const at::Tensor& t) {
  const at::Tensor c = t.contiguous().to(at::kFloat);
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Replaces node `n` (a dense Conv) by its factorized pair; returns the new nodes (first, second).
std::vector<ir::Node> factorize(ir::Graph& g, int n, int64_t rank) {
  const ir::Node conv = g.nodes[static_cast<size_t>(n)];
  const ir::Shape w_shape = g.shape_of(conv.input(1));
  const int64_t out = w_shape[0], fan_in = w_shape[1] * w_shape[2] * w_shape[3];
  std::vector<float> w = constant_floats(g, conv.input(1));
  // float64 SVD: the float32 LAPACK path loses digits on ill-conditioned filters.
  const at::Tensor matrix = at::from_blob(w.data(), {out, fan_in}, at::kFloat).to(at::kDouble);
  const auto [u, s, vh] = at::linalg_svd(matrix, /*full_matrices=*/false);
  const at::Tensor root = s.slice(0, 0, rank).sqrt();
  const at::Tensor first = root.unsqueeze(1) * vh.slice(0, 0, rank);  // [r, fan_in]
  const at::Tensor second = u.slice(1, 0, rank) * root.unsqueeze(0);  // [out, r]

  ir::Node a = conv, b = conv;
  a.name = g.unique_name(conv.name + "/low_rank_a");
  b.name = conv.name + "/low_rank_b";
  for (const char* key : {"activation", "act_min", "act_max"}) a.attrs.erase(key);
  ir::Value mid;
  mid.name = g.unique_name(g.values[static_cast<size_t>(conv.outputs[0])].name + "/low_rank");
  const int mid_id = g.add_value(mid);
  const int wa =
      g.add_constant(g.unique_name(g.values[static_cast<size_t>(conv.input(1))].name + "/low_rank_a"),
                     ir::TensorData::from_floats({rank, w_shape[1], w_shape[2], w_shape[3]}, to_vector(first)));
  const int wb = g.add_constant(g.unique_name(g.values[static_cast<size_t>(conv.input(1))].name + "/low_rank_b"),
                                ir::TensorData::from_floats({out, rank, 1, 1}, to_vector(second)));
  a.inputs = {conv.input(0), wa};
  a.outputs = {mid_id};
  b.inputs = {mid_id, wb, conv.input(2)};
  b.attrs["kernel_shape"] = std::vector<int64_t>{1, 1};
  b.attrs["strides"] = std::vector<int64_t>{1, 1};
  b.attrs["dilations"] = std::vector<int64_t>{1, 1};
  b.attrs["pads"] = std::vector<int64_t>{0, 0, 0, 0};
  return {a, b};
}

}  // namespace

std::optional<ir::Graph> factorize_low_rank(const ir::Graph& span, double ratio, std::string* why_not) {
  if (!(ratio > 0.0 && ratio < 1.0))
    throw std::invalid_argument("low-rank ratio must be in (0, 1), not " + std::to_string(ratio));
  ir::Graph g = span;
  g.blocks.clear();
  std::vector<ir::Node> nodes;
  int factorized = 0;
  const size_t count = g.nodes.size();
  for (size_t n = 0; n < count; ++n) {
    const ir::Node& node = g.nodes[n];
    if (is_plain_conv(node) && g.values[static_cast<size_t>(node.input(1))].is_constant()) {
      const ir::Shape w = g.shape_of(node.input(1));
      const int64_t out = w[0], fan_in = w[1] * w[2] * w[3];
      const int64_t rank = std::max<int64_t>(1, std::llround(ratio * static_cast<double>(std::min(out, fan_in))));
      if (rank * (fan_in + out) < out * fan_in) {
        for (ir::Node& part : factorize(g, static_cast<int>(n), rank)) nodes.push_back(std::move(part));
        ++factorized;
        continue;
      }
    }
    nodes.push_back(g.nodes[n]);
  }
  if (factorized == 0) {
    if (why_not) *why_not = "no convolution has fewer parameters factorized at this ratio";
    return std::nullopt;
  }
  g.nodes = std::move(nodes);
  settle_rewritten(g);
  return g;
}

}  // namespace bespoke::house
