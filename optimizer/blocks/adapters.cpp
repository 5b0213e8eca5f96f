#include "blocks/adapters.h"

#include <cmath>
#include <random>

#include "blocks/block_error.h"

namespace bespoke::blocks {

namespace {

uint32_t fnv1a(const std::string& text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) h = (h ^ c) * 16777619u;
  return h;
}

// [cout, cin] weights, row-major.
std::vector<float> adapter_weights(int64_t cout, int64_t cin, const AdapterOptions& options, const std::string& name) {
  std::vector<float> w(static_cast<size_t>(cout * cin), 0.0f);
  if (options.init == AdapterInit::kIdentity) {
    for (int64_t c = 0; c < std::min(cout, cin); ++c) w[static_cast<size_t>(c * cin + c)] = 1.0f;
    return w;
  }
  std::mt19937 engine(options.seed ^ fnv1a(name));
  const float bound = std::sqrt(3.0f / static_cast<float>(cin));
  for (float& x : w) {
    // 24 random bits -> [0, 1) exactly; std::uniform_real_distribution is not
    // specified bit-for-bit across standard libraries.
    const float u = static_cast<float>(engine() >> 8) * (1.0f / 16777216.0f);
    x = (2.0f * u - 1.0f) * bound;
  }
  return w;
}

std::string append_conv(GraphAssembler& out, int input, const ir::Shape& from, int output, const ir::Shape& to,
                        const AdapterOptions& options, const std::string& name) {
  const int64_t cin = from[1], cout = to[1];
  const bool spatial = from.size() == 4;
  if (!spatial && from.size() != 2)
    throw BlockError(name + ": a 1x1-conv adapter needs NCHW (rank 4) or [N, C] (rank 2) tensors, got " +
                     ir::shape_string(from) + "; use channel selection");
  const ir::Shape w_shape = spatial ? ir::Shape{cout, cin, 1, 1} : ir::Shape{cout, cin};
  ir::Node n;
  n.name = out.claim_node_name(name, "", false);
  n.op = spatial ? "Conv" : "FullyConnected";
  n.inputs = {
      input,
      out.add_constant(n.name + ".weight", "",
                       ir::TensorData::from_floats(w_shape, adapter_weights(cout, cin, options, n.name))),
      out.add_constant(n.name + ".bias", "",
                       ir::TensorData::from_floats({cout}, std::vector<float>(static_cast<size_t>(cout), 0.0f)))};
  n.outputs = {output};
  if (spatial) {
    n.attrs["kernel_shape"] = std::vector<int64_t>{1, 1};
    n.attrs["strides"] = std::vector<int64_t>{1, 1};
    n.attrs["dilations"] = std::vector<int64_t>{1, 1};
    n.attrs["pads"] = std::vector<int64_t>{0, 0, 0, 0};
    n.attrs["group"] = int64_t{1};
  }
  out.graph.add_node(std::move(n));
  return std::string(spatial ? "conv1x1 " : "fc ") + std::to_string(cin) + "->" + std::to_string(cout) +
         (options.init == AdapterInit::kIdentity ? " identity" : " random seed " + std::to_string(options.seed));
}

std::string append_select(GraphAssembler& out, int input, const ir::Shape& from, int output, const ir::Shape& to,
                          const std::string& name) {
  const int64_t cin = from[1], cout = to[1];
  ir::Node n;
  n.name = out.claim_node_name(name, "", false);
  n.inputs = {input};
  n.outputs = {output};
  if (cout < cin) {
    n.op = "Slice";
    n.attrs["starts"] = std::vector<int64_t>(from.size(), 0);
    n.attrs["ends"] = to;
    n.attrs["steps"] = std::vector<int64_t>(from.size(), 1);
  } else {
    n.op = "Pad";
    std::vector<int64_t> pads(2 * from.size(), 0);
    pads[from.size() + 1] = cout - cin;  // after the last channel
    n.attrs["pads"] = pads;
    n.attrs["value"] = 0.0;
  }
  out.graph.add_node(std::move(n));
  return std::string(cout < cin ? "select first " : "zero-pad ") + std::to_string(cin) + "->" + std::to_string(cout);
}

}  // namespace

bool needs_channel_adapter(const ir::Shape& from, const ir::Shape& to, const std::string& where) {
  if (from == to) return false;
  bool only_channels = from.size() == to.size() && from.size() >= 2;
  for (size_t d = 0; only_channels && d < from.size(); ++d) only_channels = d == 1 || from[d] == to[d];
  if (!only_channels)
    throw BlockError(where + ": shapes " + ir::shape_string(from) + " and " + ir::shape_string(to) +
                     " differ beyond the channel axis (1); adapters only change the channel count, so spans must "
                     "have the same batch and spatial (H, W) sizes");
  return true;
}

std::string append_channel_adapter(GraphAssembler& out, int input, const ir::Shape& from, int output,
                                   const ir::Shape& to, const AdapterOptions& options, const std::string& name) {
  return options.kind == AdapterKind::kConv1x1 ? append_conv(out, input, from, output, to, options, name)
                                               : append_select(out, input, from, output, to, name);
}

}  // namespace bespoke::blocks
