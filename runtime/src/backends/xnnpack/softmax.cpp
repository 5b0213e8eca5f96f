// SOFTMAX -> xnn_create_softmax_nc_f32, which normalises contiguous rows.
// Exact only when the softmax axis is innermost in memory order (dims after
// it are all 1): the last axis of a plain tensor, the channel axis of an
// NHWC tensor, or any axis followed only by 1s.
#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

struct Rows {
  size_t count;
  size_t length;
};

// Rows of the softmax in memory, or {0, 0} if the axis is not innermost.
Rows softmax_rows(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_SoftmaxOptions();
  const TensorInfo& x = op.input(0);
  if (o == nullptr || o->axis() < 0 || o->axis() >= x.rank) return {0, 0};
  const Shape stored = memory_shape(x);
  const int position = memory_position(x.rank, o->axis());
  if (stored.product(position + 1, stored.rank) != 1) return {0, 0};
  return {stored.product(0, position), stored[position]};
}

}  // namespace

bool supports_softmax(const OperatorRef& op) {
  return elementwise_shapes_supported(op) && softmax_rows(op).length != 0;
}

Status create_softmax(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const Rows rows = softmax_rows(op);
  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check("xnn_setup_softmax_nc_f32",
                   xnn_setup_softmax_nc_f32(k.op(0), rows.count, as_floats(in[0]), as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_softmax_nc_f32", [&](xnn_operator_t* created) {
    return xnn_create_softmax_nc_f32(rows.length, rows.length, rows.length, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
