// Helpers for elementwise operators. Input and output have the same shape,
// hence the same layout, so the kernel treats them as one flat vector of
// `count` values: XNNPACK's *_nc_f32 operators with batch 1 and channels =
// count (XNNPACK splits such a vector into blocks across threads).
#pragma once

#include <memory>

#include "backends/xnnpack/xnnpack_common.h"

namespace bespoke::rt::xnnpack {

// FLOAT32, one input, one output of the input's shape.
bool elementwise_shapes_supported(const OperatorRef& op);

using UnarySetupFn = xnn_status (*)(xnn_operator_t, size_t, const float*, float*, pthreadpool_t);

// A kernel made of one unary operator created by `create(count, &op)`.
template <class CreateFn>
Status make_unary_kernel(const OperatorRef& op, const ExecutionContext& exec, const char* create_name,
                         CreateFn&& create, const char* setup_name, UnarySetupFn setup,
                         std::unique_ptr<Kernel>* kernel) {
  const size_t count = op.input(0).element_count;
  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    return k.check(setup_name, setup(k.op(0), 1, as_floats(in[0]), as_floats(out[0]), k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(
      result->create_operator(create_name, [&](xnn_operator_t* created) { return create(count, created); }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
