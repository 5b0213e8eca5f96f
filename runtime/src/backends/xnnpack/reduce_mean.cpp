// REDUCE_MEAN -> xnn_create_global_average_pooling_nwc_f32 when, in memory
// order and ignoring dims of size 1, the reduced dims form one contiguous run
// [outer][reduced][inner] and the output's memory order keeps the remaining
// dims in the same order. That covers the spatial mean of an NHWC tensor
// (ReduceMean over H, W), means over the last axes of plain tensors, and the
// channel mean of NHWC (inner = 1).
#include <vector>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

struct MeanGeometry {
  size_t outer = 0, reduced = 0, inner = 0;  // outer == 0: not expressible
};

MeanGeometry mean_geometry(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_ReduceOptions();
  const TensorInfo& x = op.input(0);
  const TensorInfo& y = op.output(0);
  if (o == nullptr || o->axes() == nullptr || o->axes()->size() == 0) return {};
  std::vector<bool> reduced(static_cast<size_t>(x.rank), false);
  int previous = -1;
  for (int axis : *o->axes()) {
    if (axis <= previous || axis >= x.rank) return {};  // must be ascending and in range
    reduced[static_cast<size_t>(axis)] = true;
    previous = axis;
  }
  // Output shape and the input axis behind each output axis.
  std::vector<int> output_source;
  for (int axis = 0; axis < x.rank; ++axis) {
    if (!reduced[static_cast<size_t>(axis)] || o->keep_dims()) output_source.push_back(axis);
  }
  if (static_cast<int>(output_source.size()) != y.rank) return {};
  for (int d = 0; d < y.rank; ++d) {
    const int axis = output_source[static_cast<size_t>(d)];
    const int64_t expected = reduced[static_cast<size_t>(axis)] ? 1 : x.dim(axis);
    if (y.dim(d) != expected) return {};
  }
  // Input in memory order: [outer][reduced][inner], size-1 dims ignored.
  MeanGeometry g{1, 1, 1};
  int phase = 0;  // 0 outer, 1 reduced, 2 inner
  std::vector<int> kept_in_memory_order;
  for (int axis : axes_in_memory_order(x.rank)) {
    const auto size = static_cast<size_t>(x.dim(axis));
    if (size == 1) continue;
    const bool is_reduced = reduced[static_cast<size_t>(axis)];
    if (is_reduced && phase == 2) return {};
    if (is_reduced) {
      phase = 1;
      g.reduced *= size;
    } else {
      if (phase == 1) phase = 2;
      (phase == 0 ? g.outer : g.inner) *= size;
      kept_in_memory_order.push_back(axis);
    }
  }
  // The output must store the kept dims in that same order.
  std::vector<int> output_in_memory_order;
  for (int d : axes_in_memory_order(y.rank)) {
    const int axis = output_source[static_cast<size_t>(d)];
    if (y.dim(d) != 1) output_in_memory_order.push_back(axis);
  }
  if (output_in_memory_order != kept_in_memory_order) return {};
  return g;
}

}  // namespace

bool supports_reduce_mean(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.empty() || !op.has_input(0) || op.input(0).is_constant()) return false;
  return mean_geometry(op).outer != 0;
}

Status create_reduce_mean(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const MeanGeometry g = mean_geometry(op);
  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_global_average_pooling_nwc_f32",
                   xnn_setup_global_average_pooling_nwc_f32(k.op(0), g.outer, g.reduced, as_floats(in[0]),
                                                            as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(
      result->create_operator("xnn_create_global_average_pooling_nwc_f32", [&](xnn_operator_t* created) {
        return xnn_create_global_average_pooling_nwc_f32(g.inner, g.inner, g.inner, -kInfinity, kInfinity, 0, created);
      }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
