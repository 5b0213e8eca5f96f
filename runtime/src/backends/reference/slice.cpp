// SLICE: per input dim, [start, end) with a positive step (already clamped
// by the producer). A strided copy starting at the first selected element,
// stepping step * stride along each dim.
#include "backends/reference/operators.h"
#include "backends/reference/strided_copy.h"

namespace bespoke::rt::reference {
namespace {

const fb::SliceOptions& options_of(const OperatorRef& op) { return *op.info().op->options_as_SliceOptions(); }

int64_t at(const flatbuffers::Vector<int32_t>* v, int i) { return v->Get(static_cast<flatbuffers::uoffset_t>(i)); }

// The input read from the first selected element, `step` elements apart.
StridedSide slice_source(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const fb::SliceOptions& o = options_of(op);
  const std::array<int64_t, kMaxRank> in_strides = contiguous_strides(x.dims, x.rank);
  StridedSide source;
  for (int d = 0; d < x.rank; ++d) {
    source.base += at(o.starts(), d) * in_strides[d];
    source.strides[d] = at(o.steps(), d) * in_strides[d];
  }
  return source;
}

}  // namespace

Status supports_slice(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const fb::SliceOptions& o = options_of(op);
  const size_t rank = static_cast<size_t>(x.rank);
  if (o.starts() == nullptr || o.ends() == nullptr || o.steps() == nullptr || o.starts()->size() != rank ||
      o.ends()->size() != rank || o.steps()->size() != rank)
    return op_error(op, "starts, ends and steps must each have one entry per input dim (" + std::to_string(rank) + ")");
  std::vector<int64_t> out;
  for (int d = 0; d < x.rank; ++d) {
    const int64_t start = at(o.starts(), d), end = at(o.ends(), d), step = at(o.steps(), d);
    if (step < 1 || start < 0 || start >= end || end > x.dim(d))
      return op_error(op, "dim " + std::to_string(d) + ": slice [" + std::to_string(start) + ", " +
                              std::to_string(end) + ") step " + std::to_string(step) +
                              " is not a non-empty positive-step range of 0.." + std::to_string(x.dim(d)));
    out.push_back((end - start + step - 1) / step);
  }
  return expect_shape(op, op.output(0), out, "output");
}

Status create_slice(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<StridedGatherKernel>(op, exec, kernel, slice_source(op));
}

}  // namespace bespoke::rt::reference
