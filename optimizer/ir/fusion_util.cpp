#include "ir/fusion_util.h"

#include <cmath>
#include <limits>

#include "ir/op_params.h"

namespace bespoke::ir {

std::optional<double> scalar_constant(const Graph& g, int value) {
  if (value < 0) return std::nullopt;
  const Value& v = g.values[static_cast<size_t>(value)];
  if (!v.constant || v.constant->elements() != 1 || v.constant->bytes.size() < dtype_size(v.constant->dtype))
    return std::nullopt;
  return v.constant->float_at(0);
}

bool nearly(double a, double b) { return std::fabs(a - b) <= 1e-5 * std::max(std::fabs(a), std::fabs(b)); }

std::optional<std::pair<double, double>> clip_bounds(const Graph& g, const Node& clip) {
  const Param<double> lo = float_param(g, clip, "min", 1), hi = float_param(g, clip, "max", 2);
  if (lo.pending() || hi.pending()) return std::nullopt;
  if ((lo.known() && lo.values.size() != 1) || (hi.known() && hi.values.size() != 1)) return std::nullopt;
  return std::make_pair(lo.known() ? lo.values[0] : static_cast<double>(std::numeric_limits<float>::lowest()),
                        hi.known() ? hi.values[0] : static_cast<double>(std::numeric_limits<float>::max()));
}

int producer_with_op(const Graph& g, const UseMap& uses, int value, const std::string& op,
                     const std::vector<bool>& dead) {
  if (value < 0) return -1;
  const int p = uses.producer[static_cast<size_t>(value)];
  if (p < 0 || dead[static_cast<size_t>(p)] || g.nodes[static_cast<size_t>(p)].op != op) return -1;
  return p;
}

int erase_fused(Graph& g, const std::vector<bool>& dead, int count) {
  if (count > 0) {
    g.erase_nodes(dead);
    drop_stale_blocks(g);
  }
  return count;
}

}  // namespace bespoke::ir
