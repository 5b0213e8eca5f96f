// PAD with a constant: pads = [begin_0..begin_{r-1}, end_0..end_{r-1}], all
// >= 0. The output is filled with the value, then the input is copied into
// its interior (a strided copy with the output's strides, offset by the begins).
#include <algorithm>

#include "backends/reference/operators.h"
#include "backends/reference/strided_copy.h"

namespace bespoke::rt::reference {
namespace {

const fb::PadOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_PadOptions(); }

class PadKernel final : public ReferenceKernel {
 public:
  explicit PadKernel(const OperatorRef& op)
      : ReferenceKernel(op), value_(options_of(op).value()), count_(op.output(0).element_count) {
    const TensorInfo& x = op.input(0);
    const TensorInfo& y = op.output(0);
    StridedSide interior = StridedCopy::contiguous(y.dims, y.rank);
    for (int d = 0; d < y.rank; ++d)
      interior.base += options_of(op).pads()->Get(static_cast<flatbuffers::uoffset_t>(d)) * interior.strides[d];
    copy_ = StridedCopy(x.dims, x.rank, StridedCopy::contiguous(x.dims, x.rank), interior);
  }

  Status run() override {
    std::fill(output(0), output(0) + count_, value_);
    copy_.run(threadpool(), input(0), output(0));
    return Status::Ok();
  }

 private:
  float value_;
  size_t count_;
  StridedCopy copy_;
};

}  // namespace

Status supports_pad(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const auto* pads = options_of(op).pads();
  const size_t rank = static_cast<size_t>(x.rank);
  if (pads == nullptr || pads->size() != 2 * rank)
    return op_error(op, "pads must have 2 x rank = " + std::to_string(2 * rank) + " entries");
  std::vector<int64_t> out;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t begin = pads->Get(static_cast<flatbuffers::uoffset_t>(d));
    const int64_t end = pads->Get(static_cast<flatbuffers::uoffset_t>(d + rank));
    if (begin < 0 || end < 0) return op_error(op, "negative pad on dim " + std::to_string(d));
    out.push_back(x.dim(static_cast<int>(d)) + begin + end);
  }
  return expect_shape(op, op.output(0), out, "output");
}

Status create_pad(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<PadKernel>(op, exec, kernel);
}

}  // namespace bespoke::rt::reference
