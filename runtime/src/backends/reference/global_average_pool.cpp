// GLOBAL_AVERAGE_POOL: X [N, C, spatial...] -> Y [N, C, 1, ...], the mean of
// each (n, c) plane, accumulated in double.
#include "backends/reference/operators.h"
#include "backends/reference/parallel.h"

namespace bespoke::rt::reference {
namespace {

class GlobalAveragePoolKernel final : public ReferenceKernel {
 public:
  explicit GlobalAveragePoolKernel(const OperatorRef& op)
      : ReferenceKernel(op),
        planes_(op.input(0).dim(0) * op.input(0).dim(1)),
        plane_size_(dims_product(op.input(0), 2, op.input(0).rank)) {}

  Status run() override {
    parallel_for_tiles(threadpool(), static_cast<size_t>(planes_), 16, [this](size_t begin, size_t end) {
      for (size_t plane = begin; plane < end; ++plane) {
        const float* in = input(0) + static_cast<int64_t>(plane) * plane_size_;
        double sum = 0.0;
        for (int64_t i = 0; i < plane_size_; ++i) sum += in[i];
        output(0)[plane] = static_cast<float>(sum / static_cast<double>(plane_size_));
      }
    });
    return Status::Ok();
  }

 private:
  int64_t planes_, plane_size_;
};

}  // namespace

Status supports_global_average_pool(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  if (x.rank < 3) return op_error(op, "input has rank " + std::to_string(x.rank) + ", expected at least 3");
  std::vector<int64_t> out(static_cast<size_t>(x.rank), 1);
  out[0] = x.dim(0);
  out[1] = x.dim(1);
  return expect_shape(op, op.output(0), out, "output");
}

Status create_global_average_pool(const OperatorRef& op, const ExecutionContext& exec,
                                  std::unique_ptr<Kernel>* kernel) {
  return make_kernel<GlobalAveragePoolKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
