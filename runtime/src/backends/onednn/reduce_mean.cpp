// REDUCE_MEAN over a set of logical axes as a oneDNN reduction. oneDNN
// wants source and destination of the same rank, so the destination is the
// output's storage seen with the reduced axes kept as size-1 dims (their
// strides are irrelevant); keep_dims = false then needs no copy. When every
// reduced axis already has size 1 nothing is averaged and the operator is a
// layout change, done with a reorder. The spatial mean of an image (axes
// {2, 3} of a rank-4 input, e.g. squeeze-and-excitation blocks) runs as a
// global average pooling: oneDNN 2.6 has no JIT reduction for NHWC there.
#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"
#include "backends/onednn/pooling.h"

namespace bespoke::rt::onednn {
namespace {

// reduced[i] for each input axis; false if the axes are not a valid ascending set.
bool reduced_axes(const OperatorRef& op, std::vector<bool>* reduced) {
  const fb::ReduceOptions* options = op.info().op->options_as_ReduceOptions();
  if (options == nullptr || options->axes() == nullptr || options->axes()->size() == 0) return false;
  const int rank = op.input(0).rank;
  reduced->assign(static_cast<size_t>(rank), false);
  int previous = -1;
  for (const int axis : *options->axes()) {
    if (axis <= previous || axis >= rank) return false;
    (*reduced)[static_cast<size_t>(axis)] = true;
    previous = axis;
  }
  return true;
}

// The output's storage as a shape of the input's rank.
StoredShape destination_shape(const OperatorRef& op, const std::vector<bool>& reduced) {
  const TensorInfo& x = op.input(0);
  const StoredShape out = stored_shape(op.output(0));
  if (op.output(0).rank == x.rank) return out;  // keep_dims
  StoredShape shape;
  shape.rank = x.rank;
  int kept = 0;  // index into the output's dims
  for (int i = 0; i < x.rank; ++i) {
    if (reduced[static_cast<size_t>(i)]) {
      shape.dims[i] = 1;
    } else {
      shape.dims[i] = out.dims[kept];
      shape.strides[i] = out.strides[kept];
      ++kept;
    }
  }
  // A size-1 dim's stride never multiplies a non-zero index; give it the
  // extent of the next kept dim so the descriptor looks like a plain layout.
  int64_t next_extent = 1;
  for (int i = x.rank - 1; i >= 0; --i) {
    if (reduced[static_cast<size_t>(i)]) {
      shape.strides[i] = next_extent;
    } else {
      next_extent = shape.strides[i] * shape.dims[i];
    }
  }
  return shape;
}

}  // namespace

bool supports_reduce_mean(const OperatorRef& op) {
  const fb::ReduceOptions* options = op.info().op->options_as_ReduceOptions();
  if (options == nullptr || op.input_count() != 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  std::vector<bool> reduced;
  if (x.rank < 1 || !reduced_axes(op, &reduced)) return false;
  const int expected_rank = options->keep_dims() ? x.rank : x.rank - static_cast<int>(options->axes()->size());
  if (y.rank != expected_rank) return false;
  int out_axis = 0;
  for (int i = 0; i < x.rank; ++i) {
    const bool is_reduced = reduced[static_cast<size_t>(i)];
    if (is_reduced && !options->keep_dims()) continue;
    if (y.dim(out_axis) != (is_reduced ? 1 : x.dim(i))) return false;
    ++out_axis;
  }
  return true;
}

Status create_reduce_mean(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  std::vector<bool> reduced;
  if (!reduced_axes(op, &reduced)) return Internal("invalid axes reached create_reduce_mean");
  if (reduced == std::vector<bool>{false, false, true, true}) return create_global_average_kernel(op, env, kernel);
  const StoredShape source_shape = stored_shape(op.input(0));
  const StoredShape dest_shape = destination_shape(op, reduced);
  dnnl_memory_desc_t src, dst;
  BSP_RETURN_IF_ERROR(desc_from(source_shape, &src));
  BSP_RETURN_IF_ERROR(desc_from(dest_shape, &dst));

  if (same_dims(source_shape, dest_shape)) {
    AttrPtr attr;
    BSP_RETURN_IF_ERROR(make_attributes({}, &attr));
    dnnl_primitive_desc_t raw_pd = nullptr;
    BSP_DNNL_CHECK(dnnl_reorder_primitive_desc_create(&raw_pd, &src, env.context->engine(), &dst, env.context->engine(),
                                                      attr.get()));
    PrimitiveDescPtr pd(raw_pd);
    return create_single_primitive_kernel(op, env, pd.get(), src, dst, kernel);
  }
  dnnl_reduction_desc_t desc;
  BSP_DNNL_CHECK(dnnl_reduction_desc_init(&desc, dnnl_reduction_mean, &src, &dst, 0.0f, 0.0f));
  return create_single_primitive_kernel(op, env, &desc, {}, src, dst, kernel);
}

}  // namespace bespoke::rt::onednn
