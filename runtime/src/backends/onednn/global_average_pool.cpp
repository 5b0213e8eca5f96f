// GLOBAL_AVERAGE_POOL [N, C, H, W] -> [N, C, 1, 1] as an average pooling
// whose window is the whole image.
#include "backends/onednn/operators.h"
#include "backends/onednn/pooling.h"

namespace bespoke::rt::onednn {

bool supports_global_average_pool(const OperatorRef& op) {
  if (op.input_count() != 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  return x.rank == 4 && y.rank == 4 && y.dim(0) == x.dim(0) && y.dim(1) == x.dim(1) && y.dim(2) == 1 && y.dim(3) == 1;
}

Status create_global_average_pool(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  return create_global_average_kernel(op, env, kernel);
}

}  // namespace bespoke::rt::onednn
