// ADD, SUB, MUL, DIV -> xnn_create_{add,subtract,multiply,divide}_nd_f32 with
// numpy broadcasting (up to XNN_MAX_TENSOR_DIMS) and the fused activation as
// the output range.
//
// Shapes are given to XNNPACK in memory order: when the output is rank 4,
// every operand is aligned to rank 4 and permuted to NHWC. An activation
// operand of another rank is stored in logical order, which only matches
// when the layouts coincide for its shape (e.g. a [C, 1, 1] bias); constant
// operands are reordered once into kernel storage instead.
#include <algorithm>
#include <array>

#include "backends/xnnpack/operators.h"
#include "backends/xnnpack/xnnpack_layout.h"

namespace bespoke::rt::xnnpack {
namespace {

using BinaryCreate = xnn_status (*)(float, float, uint32_t, xnn_operator_t*);
using BinarySetup = xnn_status (*)(xnn_operator_t, size_t, const size_t*, size_t, const size_t*, const float*,
                                   const float*, float*, pthreadpool_t);

struct BinaryApi {
  BinaryCreate create;
  BinarySetup setup;
  const char* create_name;
  const char* setup_name;
};

BinaryApi binary_api(fb::OpCode opcode) {
  switch (opcode) {
    case fb::OpCode::SUB:
      return {xnn_create_subtract_nd_f32, xnn_setup_subtract_nd_f32, "xnn_create_subtract_nd_f32",
              "xnn_setup_subtract_nd_f32"};
    case fb::OpCode::MUL:
      return {xnn_create_multiply_nd_f32, xnn_setup_multiply_nd_f32, "xnn_create_multiply_nd_f32",
              "xnn_setup_multiply_nd_f32"};
    case fb::OpCode::DIV:
      return {xnn_create_divide_nd_f32, xnn_setup_divide_nd_f32, "xnn_create_divide_nd_f32", "xnn_setup_divide_nd_f32"};
    default: return {xnn_create_add_nd_f32, xnn_setup_add_nd_f32, "xnn_create_add_nd_f32", "xnn_setup_add_nd_f32"};
  }
}

// Operand `i` aligned to the output's rank (logical order).
Shape aligned_operand(const OperatorRef& op, size_t i) {
  return expand_to_rank(logical_shape(op.input(i)), op.output(0).rank);
}

// True when the operand's data is in the memory order XNNPACK will assume.
bool operand_order_matches(const TensorInfo& operand, const Shape& aligned, bool nhwc_output) {
  if ((operand.rank == 4) == nhwc_output) return true;
  return layout_invariant(nhwc_output ? aligned : logical_shape(operand));
}

}  // namespace

bool supports_binary(const OperatorRef& op) {
  if (!op.all_float32() || op.info().inputs.size() != 2 || !op.has_input(0) || !op.has_input(1)) return false;
  const auto* o = op.info().op->options_as_BinaryOptions();
  if (!output_range(o != nullptr ? o->activation() : nullptr).valid) return false;
  const TensorInfo& y = op.output(0);
  if (y.rank > XNN_MAX_TENSOR_DIMS) return false;
  const bool nhwc = y.rank == 4;
  for (size_t i = 0; i < 2; ++i) {
    const TensorInfo& operand = op.input(i);
    if (operand.rank > y.rank) return false;
    const Shape aligned = aligned_operand(op, i);
    for (int d = 0; d < y.rank; ++d) {
      if (aligned[d] != 1 && aligned[d] != static_cast<size_t>(y.dim(d))) return false;
    }
    if (!operand.is_constant() && !operand_order_matches(operand, aligned, nhwc)) return false;
  }
  // The output must be exactly the broadcast shape (no broadcasting to more).
  const Shape a = aligned_operand(op, 0), b = aligned_operand(op, 1);
  for (int d = 0; d < y.rank; ++d) {
    if (static_cast<size_t>(y.dim(d)) != std::max(a[d], b[d])) return false;
  }
  return true;
}

Status create_binary(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto* o = op.info().op->options_as_BinaryOptions();
  const OutputRange range = output_range(o != nullptr ? o->activation() : nullptr);
  const BinaryApi api = binary_api(op.info().opcode);
  const int rank = op.output(0).rank;
  const bool nhwc = rank == 4;

  std::array<Shape, 2> shapes;
  std::array<FloatBuffer, 2> constants;
  std::array<bool, 2> is_constant{};
  for (size_t i = 0; i < 2; ++i) {
    const Shape aligned = aligned_operand(op, i);
    shapes[i] = nhwc ? memory_shape(aligned) : aligned;
    is_constant[i] = op.input(i).is_constant();
    if (is_constant[i]) constants[i] = constant_in_memory_order(op.input(i), aligned, nhwc);
  }

  auto result = make_kernel(
      op, exec, [=, constants = std::move(constants)](XnnKernel& k, const void* const* in, void* const* out) {
        const float* a = is_constant[0] ? constants[0].data() : as_floats(in[0]);
        const float* b = is_constant[1] ? constants[1].data() : as_floats(in[1]);
        const size_t dims = static_cast<size_t>(rank);
        return k.check(api.setup_name, api.setup(k.op(0), dims, shapes[0].dims.data(), dims, shapes[1].dims.data(), a,
                                                 b, as_floats(out[0]), k.threadpool()));
      });
  BSP_RETURN_IF_ERROR(result->create_operator(
      api.create_name, [&](xnn_operator_t* created) { return api.create(range.min, range.max, 0, created); }));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::xnnpack
