#include "backends/xnnpack/elementwise.h"

namespace bespoke::rt::xnnpack {

bool elementwise_shapes_supported(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.empty() || !op.has_input(0) || op.info().outputs.size() != 1) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (x.rank != y.rank) return false;
  for (int d = 0; d < x.rank; ++d) {
    if (x.dim(d) != y.dim(d)) return false;
  }
  return true;
}

}  // namespace bespoke::rt::xnnpack
