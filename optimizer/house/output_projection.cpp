#include "house/output_projection.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

namespace bespoke::house {

namespace {

// Index of the node writing the graph output, or -1.
int output_writer(const ir::Graph& g) {
  for (int n = static_cast<int>(g.nodes.size()) - 1; n >= 0; --n)
    for (int v : g.nodes[static_cast<size_t>(n)].outputs)
      if (v == g.outputs.at(0)) return n;
  return -1;
}

bool is_projection(const ir::Graph& g, const ir::Node& n, const char* marker) {
  return n.op == "Conv" && n.name.find(marker) != std::string::npos && n.get_int("group", 1) == 1 &&
         n.get_ints("kernel_shape") == std::vector<int64_t>{1, 1} && !n.has("activation") && n.input(1) >= 0 &&
         n.input(2) >= 0 && g.values[static_cast<size_t>(n.input(1))].is_constant() &&
         g.values[static_cast<size_t>(n.input(2))].is_constant();
}

}  // namespace

bool fit_output_projection(torchbridge::GraphModule& module, const at::Tensor& input, const at::Tensor& target,
                           int64_t max_images) {
  const ir::Graph& g = module.graph();
  const int writer = output_writer(g);
  if (writer < 0 || !is_projection(g, g.nodes[static_cast<size_t>(writer)], kOutputAdapterMarker)) return false;
  const ir::Node& n = g.nodes[static_cast<size_t>(writer)];
  at::NoGradGuard no_grad;
  const int64_t images = std::min<int64_t>(max_images, input.size(0));
  const at::Tensor z = module.evaluate({{g.inputs.at(0), input.narrow(0, 0, images)}}, {n.inputs[0]}).at(0);
  const at::Tensor y = target.narrow(0, 0, images);
  // Pixels as rows: [N*H*W, C], plus a constant column for the bias.
  const at::Tensor zr = z.permute({0, 2, 3, 1}).reshape({-1, z.size(1)}).to(at::kDouble);
  const at::Tensor yr = y.permute({0, 2, 3, 1}).reshape({-1, y.size(1)}).to(at::kDouble);
  const at::Tensor a = at::cat({zr, at::ones({zr.size(0), 1}, zr.options())}, 1);
  at::Tensor gram = a.t().mm(a);
  // Ridge: a small multiple of the mean diagonal keeps dead (all-zero) channels solvable.
  const double lambda = 1e-4 * gram.diagonal().mean().item<double>() + 1e-8;
  gram = gram + lambda * at::eye(gram.size(0), gram.options());
  const at::Tensor solution = at::linalg_solve(gram, a.t().mm(yr));  // [Cz + 1, Ct]
  const int64_t cz = z.size(1);
  const at::Tensor w = solution.narrow(0, 0, cz).t().contiguous().to(at::kFloat);  // [Ct, Cz]
  const at::Tensor b = solution.narrow(0, cz, 1).reshape({-1}).to(at::kFloat);
  module.constant(n.input(1)).copy_(w.reshape(module.constant(n.input(1)).sizes()));
  module.constant(n.input(2)).copy_(b);
  return true;
}

bool fit_input_projection(torchbridge::GraphModule& module, const at::Tensor& input, int64_t max_images) {
  const ir::Graph& g = module.graph();
  const std::vector<int> readers = g.consumers(g.inputs.at(0));
  if (readers.size() != 1) return false;
  const ir::Node& n = g.nodes[static_cast<size_t>(readers[0])];
  if (!is_projection(g, n, kInputAdapterMarker) || n.input(0) != g.inputs[0]) return false;
  at::NoGradGuard no_grad;
  const int64_t images = std::min<int64_t>(max_images, input.size(0));
  const at::Tensor x = input.narrow(0, 0, images);
  const at::Tensor rows = x.permute({0, 2, 3, 1}).reshape({-1, x.size(1)}).to(at::kDouble);  // [pixels, Cin]
  const at::Tensor mean = rows.mean(0);
  const at::Tensor centred = rows - mean;
  const at::Tensor cov = centred.t().mm(centred) / static_cast<double>(std::max<int64_t>(1, rows.size(0) - 1));
  const auto [values, vectors] = at::linalg_eigh(cov);  // ascending eigenvalues
  const at::Tensor& weight = module.constant(n.input(1));
  const int64_t out = weight.size(0), in = x.size(1);
  // The strongest min(out, in) directions; any further outputs start at zero.
  const int64_t k = std::min(out, in);
  const at::Tensor top_values = values.flip(0).narrow(0, 0, k);
  const at::Tensor top_vectors = vectors.flip(1).narrow(1, 0, k);  // [Cin, k]
  const double floor = 1e-6 * std::max(1e-12, values.max().item<double>());
  const at::Tensor scale = (top_values.clamp_min(floor)).rsqrt();  // unit variance
  at::Tensor w = at::zeros({out, in}, at::kDouble);
  w.narrow(0, 0, k).copy_(top_vectors.t() * scale.unsqueeze(1));
  at::Tensor b = -w.mv(mean);
  weight.copy_(w.to(at::kFloat).reshape(weight.sizes()));
  module.constant(n.input(2)).copy_(b.to(at::kFloat));
  return true;
}

}  // namespace bespoke::house
