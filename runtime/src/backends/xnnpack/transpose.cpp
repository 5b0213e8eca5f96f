// TRANSPOSE when, in memory order, it only swaps two adjacent blocks of
// axes: [P][A][B] -> [P][B][A] is a batched [A][B] matrix transpose (see
// matrix_transpose.h). Size-1 axes are ignored and axes that stay adjacent
// merge into blocks, so this covers 2-D transposes, [B, T, D] -> [B, D, T],
// and NCHW <-> NHWC-style permutations of rank-4 tensors (both stored NHWC
// here). A permutation that only moves size-1 axes is a plain copy. Other
// permutations (three or more blocks moving) go to another backend.
#include <algorithm>
#include <vector>

#include "backends/xnnpack/block_copy.h"
#include "backends/xnnpack/matrix_transpose.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

struct Run {
  size_t start;  // position of the run's first axis in the input's memory order
  size_t size;   // product of its dims
};

// The transpose as at most three blocks: {batch, rows, cols} with rows == 0
// meaning "a plain copy"; nullopt-like {0, 0, 0} when not expressible.
MatrixTranspose block_swap(const OperatorRef& op) {
  const TensorInfo& x = op.input(0);
  const auto* perm = op.info().op->options_as_TransposeOptions()->perm();
  // Input axes (size > 1) in the input's memory order, and their positions.
  std::vector<int> input_order;
  for (int axis : axes_in_memory_order(x.rank)) {
    if (x.dim(axis) > 1) input_order.push_back(axis);
  }
  // Input axes (size > 1) in the output's memory order, grouped into runs of
  // consecutive input positions.
  std::vector<Run> runs;
  for (int output_axis : axes_in_memory_order(x.rank)) {
    const int axis = perm->Get(static_cast<flatbuffers::uoffset_t>(output_axis));
    if (x.dim(axis) == 1) continue;
    const auto position =
        static_cast<size_t>(std::find(input_order.begin(), input_order.end(), axis) - input_order.begin());
    if (!runs.empty() && runs.back().start + runs.back().size == position) {
      ++runs.back().size;
    } else {
      runs.push_back({position, 1});
    }
  }
  // Convert run extents from axis counts to element counts.
  auto elements = [&](const Run& run) {
    size_t count = 1;
    for (size_t i = run.start; i < run.start + run.size; ++i) count *= static_cast<size_t>(x.dim(input_order[i]));
    return count;
  };
  if (runs.size() <= 1) return {1, 0, x.element_count};  // order unchanged
  if (runs.size() == 2 && runs[0].start > runs[1].start) return {1, elements(runs[1]), elements(runs[0])};
  if (runs.size() == 3 && runs[0].start == 0 && runs[1].start > runs[2].start) {
    return {elements(runs[0]), elements(runs[2]), elements(runs[1])};
  }
  return {0, 0, 0};
}

}  // namespace

bool supports_transpose(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_TransposeOptions();
  if (o == nullptr || o->perm() == nullptr || !op.all_float32() || op.info().inputs.empty() || !op.has_input(0)) {
    return false;
  }
  const TensorInfo& x = op.input(0);
  if (x.is_constant() || o->perm()->size() != static_cast<flatbuffers::uoffset_t>(x.rank)) return false;
  const TensorInfo& y = op.output(0);
  if (y.rank != x.rank) return false;
  for (int d = 0; d < x.rank; ++d) {
    const int p = o->perm()->Get(static_cast<flatbuffers::uoffset_t>(d));
    if (p < 0 || p >= x.rank || y.dim(d) != x.dim(p)) return false;
  }
  return block_swap(op).batch != 0;
}

Status create_transpose(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const MatrixTranspose swap = block_swap(op);
  if (swap.rows == 0) {
    BlockCopy copy;
    copy.row_length = copy.source_stride = copy.destination_stride = op.input(0).element_count;
    return make_block_copy_kernel(op, exec, {copy}, kernel);
  }
  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return setup_matrix_transpose(k, 0, swap, in[0], out[0]);
  });
  BSP_RETURN_IF_ERROR(create_matrix_transpose(*result, swap));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
