// TRANSPOSE (rank <= kMaxRank): output dim i = input dim perm[i]; a strided
// copy whose input strides are the input's row-major strides, permuted.
#include "backends/reference/operators.h"
#include "backends/reference/strided_copy.h"

namespace bespoke::rt::reference {
namespace {

const flatbuffers::Vector<int32_t>* perm_of(const OperatorRef& op) {
  return op.info().op->options_as_TransposeOptions()->perm();
}

// The input read in the output's order: output dim i walks input dim perm[i].
StridedSide transpose_source(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const auto* perm = perm_of(op);
  const std::array<int64_t, kMaxRank> in_strides = contiguous_strides(x.dims, x.rank);
  StridedSide source;
  for (int i = 0; i < x.rank; ++i) source.strides[i] = in_strides[perm->Get(static_cast<flatbuffers::uoffset_t>(i))];
  return source;
}

}  // namespace

Status supports_transpose(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const auto* perm = perm_of(op);
  const size_t rank = static_cast<size_t>(x.rank);
  if (perm == nullptr || perm->size() != rank)
    return op_error(op, "perm must have one entry per input dim (" + std::to_string(rank) + ")");
  std::vector<bool> seen(rank, false);
  std::vector<int64_t> out;
  for (int32_t p : *perm) {
    if (p < 0 || static_cast<size_t>(p) >= rank || seen[static_cast<size_t>(p)])
      return op_error(op, "perm is not a permutation of 0.." + std::to_string(rank - 1));
    seen[static_cast<size_t>(p)] = true;
    out.push_back(x.dim(p));
  }
  return expect_shape(op, op.output(0), out, "output");
}

Status create_transpose(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_kernel<StridedGatherKernel>(op, exec, kernel, transpose_source(op));
}

}  // namespace bespoke::rt::reference
