#include "backends/xnnpack/elementwise.h"

namespace bespoke::rt::xnnpack {

bool elementwise_shapes_supported(const OpContext& ctx) {
  if (!all_float32(ctx) || ctx.info.inputs.empty() || !ctx.has_input(0) || ctx.info.outputs.size() != 1) return false;
  const TensorInfo& x = ctx.input(0);
  const TensorInfo& y = ctx.output(0);
  if (x.rank != y.rank) return false;
  for (int d = 0; d < x.rank; ++d) {
    if (x.dim(d) != y.dim(d)) return false;
  }
  return true;
}

}  // namespace bespoke::rt::xnnpack
