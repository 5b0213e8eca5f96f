#include "house/channel_pruning.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "house/graph_rewrite.h"

namespace bespoke::house {

namespace {

// Keeps entries `keep` along axis `axis` of a row-major tensor of `shape`.
std::vector<float> select_along(const std::vector<float>& data, const ir::Shape& shape, size_t axis,
                                const std::vector<int64_t>& keep, ir::Shape* new_shape) {
  int64_t outer = 1, inner = 1;
  for (size_t i = 0; i < axis; ++i) outer *= shape[i];
  for (size_t i = axis + 1; i < shape.size(); ++i) inner *= shape[i];
  const int64_t n = shape[axis];
  std::vector<float> out;
  out.reserve(static_cast<size_t>(outer * static_cast<int64_t>(keep.size()) * inner));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : keep) {
      const float* src = data.data() + (o * n + k) * inner;
      out.insert(out.end(), src, src + inner);
    }
  *new_shape = shape;
  (*new_shape)[axis] = static_cast<int64_t>(keep.size());
  return out;
}

void prune_input(ir::Graph& g, int node, size_t slot, size_t axis, const std::vector<int64_t>& keep) {
  const int v = g.nodes[static_cast<size_t>(node)].inputs[slot];
  if (v < 0) return;
  ir::Shape shape;
  std::vector<float> data = select_along(constant_floats(g, v), g.shape_of(v), axis, keep, &shape);
  replace_constant_input(g, node, slot, shape, std::move(data));
}

// The single reader of value v, or -1.
int only_reader(const ir::Graph& g, int v) {
  const std::vector<int> readers = g.consumers(v);
  return readers.size() == 1 ? readers[0] : -1;
}

bool is_output(const ir::Graph& g, int v) {
  return std::find(g.outputs.begin(), g.outputs.end(), v) != g.outputs.end();
}

struct PruneSite {
  int conv = -1;       // the pruned convolution
  int depthwise = -1;  // optional depthwise Conv in between
  int reader = -1;     // the dense Conv whose inputs follow
};

std::vector<PruneSite> find_sites(const ir::Graph& g) {
  std::vector<PruneSite> sites;
  for (int n = 0; n < static_cast<int>(g.nodes.size()); ++n) {
    const ir::Node& node = g.nodes[static_cast<size_t>(n)];
    if (!is_plain_conv(node) || !g.values[static_cast<size_t>(node.input(1))].is_constant()) continue;
    const int out = node.outputs.at(0);
    if (is_output(g, out)) continue;
    PruneSite site{n, -1, only_reader(g, out)};
    if (site.reader < 0) continue;
    const ir::Node* reader = &g.nodes[static_cast<size_t>(site.reader)];
    const int64_t channels = g.shape_of(out)[1];
    if (reader->op == "Conv" && reader->get_int("group", 1) == channels && channels > 1 && reader->input(0) == out) {
      const int dw_out = reader->outputs.at(0);
      if (is_output(g, dw_out)) continue;
      site.depthwise = site.reader;
      site.reader = only_reader(g, dw_out);
      if (site.reader < 0) continue;
      reader = &g.nodes[static_cast<size_t>(site.reader)];
      if (!is_plain_conv(*reader) || reader->input(0) != dw_out) continue;
    } else if (!is_plain_conv(*reader) || reader->input(0) != out) {
      continue;
    }
    sites.push_back(site);
  }
  return sites;
}

}  // namespace

std::vector<int64_t> strongest_filters(const std::vector<float>& weight, int64_t filters, int64_t keep) {
  const int64_t per_filter = static_cast<int64_t>(weight.size()) / filters;
  std::vector<double> norm(static_cast<size_t>(filters), 0.0);
  for (int64_t f = 0; f < filters; ++f)
    for (int64_t i = 0; i < per_filter; ++i)
      norm[static_cast<size_t>(f)] += std::fabs(weight[static_cast<size_t>(f * per_filter + i)]);
  std::vector<int64_t> order(static_cast<size_t>(filters));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t x, int64_t y) { return norm[static_cast<size_t>(x)] > norm[static_cast<size_t>(y)]; });
  order.resize(static_cast<size_t>(keep));
  std::sort(order.begin(), order.end());
  return order;
}

std::optional<ir::Graph> prune_channels(const ir::Graph& span, double ratio, std::string* why_not) {
  if (!(ratio > 0.0 && ratio < 1.0))
    throw std::invalid_argument("pruning ratio must be in (0, 1), not " + std::to_string(ratio));
  ir::Graph g = span;
  g.blocks.clear();
  const std::vector<PruneSite> sites = find_sites(g);
  if (sites.empty()) {
    if (why_not) *why_not = "no inner convolution to prune";
    return std::nullopt;
  }
  for (const PruneSite& site : sites) {
    const int w = g.nodes[static_cast<size_t>(site.conv)].input(1);
    const int64_t filters = g.shape_of(w)[0];
    const int64_t keep = std::max<int64_t>(1, filters - std::llround(ratio * static_cast<double>(filters)));
    const std::vector<int64_t> kept = strongest_filters(constant_floats(g, w), filters, keep);
    prune_input(g, site.conv, 1, 0, kept);  // filters
    prune_input(g, site.conv, 2, 0, kept);  // bias
    if (site.depthwise >= 0) {
      prune_input(g, site.depthwise, 1, 0, kept);
      prune_input(g, site.depthwise, 2, 0, kept);
      g.nodes[static_cast<size_t>(site.depthwise)].attrs["group"] = static_cast<int64_t>(kept.size());
    }
    prune_input(g, site.reader, 1, 1, kept);  // the reader's input channels
  }
  settle_rewritten(g);
  return g;
}

}  // namespace bespoke::house
