// Element-wise unary operators, each an XNNPACK *_nc_f32 operator (or two)
// over the tensor as one flat vector (elementwise.h). TANH has no XNNPACK
// operator in this version and runs elsewhere.
//
// RELU and CLIP -> xnn_create_clamp_nc_f32 (RELU is the range [0, +inf)).
//
// LEAKY_RELU -> xnn_create_leaky_relu_nc_f32 (x >= 0 ? x : alpha * x).
//
// SIGMOID -> xnn_create_sigmoid_nc_f32 (a rational/exp approximation
// accurate to a few ulp).
//
// HARD_SIGMOID: y = max(0, min(1, alpha * x + beta)). XNNPACK has no such
// operator; two binary operators give the same roundings as the formula:
// multiply by the scalar alpha into the output, then add the scalar beta in
// place with the output range [0, 1].
//
// HARD_SWISH -> xnn_create_hardswish_nc_f32 (x * relu6(x + 3) / 6).
//
// SILU: y = x * sigmoid(x). XNNPACK has no such operator: the sigmoid goes
// into the output, then the output is multiplied by x in place.
//
// SQRT -> xnn_create_square_root_nc_f32 (on x86 the sqrtps instruction:
// correctly rounded, NaN for negative inputs, like std::sqrt).
#include <cmath>

#include "backends/xnnpack/elementwise.h"
#include "backends/xnnpack/operators.h"

namespace bespoke::rt::xnnpack {
namespace {

OutputRange clamp_bounds(const OperatorRef& op) {
  if (op.info().opcode == fb::OpCode::RELU) return clamp_range(0.0f, kInfinity);
  const auto* o = op.info().op->options_as_ClipOptions();
  if (o == nullptr) return {0.0f, 0.0f, false};
  return clamp_range(o->min(), o->max());
}

bool supports_clamp(const OperatorRef& op) { return elementwise_shapes_supported(op) && clamp_bounds(op).valid; }

Status create_clamp(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const OutputRange range = clamp_bounds(op);
  return make_unary_kernel(
      op, exec, "xnn_create_clamp_nc_f32",
      [&](size_t count, xnn_operator_t* created) {
        return xnn_create_clamp_nc_f32(count, count, count, range.min, range.max, 0, created);
      },
      "xnn_setup_clamp_nc_f32", xnn_setup_clamp_nc_f32, kernel);
}

bool supports_leaky_relu(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_LeakyReluOptions();
  // XNNPACK rejects a non-finite slope.
  return o != nullptr && std::isfinite(o->alpha()) && elementwise_shapes_supported(op);
}

Status create_leaky_relu(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const float alpha = op.info().op->options_as_LeakyReluOptions()->alpha();
  return make_unary_kernel(
      op, exec, "xnn_create_leaky_relu_nc_f32",
      [&](size_t count, xnn_operator_t* created) {
        return xnn_create_leaky_relu_nc_f32(count, count, count, alpha, 0, created);
      },
      "xnn_setup_leaky_relu_nc_f32", xnn_setup_leaky_relu_nc_f32, kernel);
}

bool supports_sigmoid(const OperatorRef& op) { return elementwise_shapes_supported(op); }

Status create_sigmoid(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_unary_kernel(
      op, exec, "xnn_create_sigmoid_nc_f32",
      [](size_t count, xnn_operator_t* created) { return xnn_create_sigmoid_nc_f32(count, count, count, 0, created); },
      "xnn_setup_sigmoid_nc_f32", xnn_setup_sigmoid_nc_f32, kernel);
}

bool supports_hard_sigmoid(const OperatorRef& op) {
  const auto* o = op.info().op->options_as_HardSigmoidOptions();
  return o != nullptr && elementwise_shapes_supported(op);
}

Status create_hard_sigmoid(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const auto& o = *op.info().op->options_as_HardSigmoidOptions();
  FloatBuffer alpha(1), beta(1);
  alpha.data()[0] = o.alpha();
  beta.data()[0] = o.beta();
  const size_t shape[1] = {op.input(0).element_count};

  auto result = make_kernel(
      op, exec,
      [=, alpha = std::move(alpha), beta = std::move(beta)](XnnKernel& k, const void* const* in, void* const* out) {
        float* y = as_floats(out[0]);
        BSP_RETURN_IF_ERROR(k.check(
            "xnn_setup_multiply_nd_f32",
            xnn_setup_multiply_nd_f32(k.op(0), 1, shape, 0, shape, as_floats(in[0]), alpha.data(), y, k.threadpool())));
        return k.check("xnn_setup_add_nd_f32",
                       xnn_setup_add_nd_f32(k.op(1), 1, shape, 0, shape, y, beta.data(), y, k.threadpool()));
      });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_multiply_nd_f32", [&](xnn_operator_t* created) {
    return xnn_create_multiply_nd_f32(-kInfinity, kInfinity, 0, created);
  }));
  BSP_RETURN_IF_ERROR(result->create_operator(
      "xnn_create_add_nd_f32", [&](xnn_operator_t* created) { return xnn_create_add_nd_f32(0.0f, 1.0f, 0, created); }));
  *kernel = std::move(result);
  return Status::Ok();
}

bool supports_hard_swish(const OperatorRef& op) { return elementwise_shapes_supported(op); }

Status create_hard_swish(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_unary_kernel(
      op, exec, "xnn_create_hardswish_nc_f32",
      [](size_t count, xnn_operator_t* created) {
        return xnn_create_hardswish_nc_f32(count, count, count, 0, created);
      },
      "xnn_setup_hardswish_nc_f32", xnn_setup_hardswish_nc_f32, kernel);
}

bool supports_silu(const OperatorRef& op) { return elementwise_shapes_supported(op); }

Status create_silu(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const size_t count = op.input(0).element_count;
  const size_t shape[1] = {count};

  auto result = make_kernel(op, exec, [=](XnnKernel& k, const void* const* in, void* const* out) {
    const float* x = as_floats(in[0]);
    float* y = as_floats(out[0]);
    BSP_RETURN_IF_ERROR(
        k.check("xnn_setup_sigmoid_nc_f32", xnn_setup_sigmoid_nc_f32(k.op(0), 1, x, y, k.threadpool())));
    return k.check("xnn_setup_multiply_nd_f32",
                   xnn_setup_multiply_nd_f32(k.op(1), 1, shape, 1, shape, x, y, y, k.threadpool()));
  });
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_sigmoid_nc_f32", [&](xnn_operator_t* created) {
    return xnn_create_sigmoid_nc_f32(count, count, count, 0, created);
  }));
  BSP_RETURN_IF_ERROR(result->create_operator("xnn_create_multiply_nd_f32", [&](xnn_operator_t* created) {
    return xnn_create_multiply_nd_f32(-kInfinity, kInfinity, 0, created);
  }));
  *kernel = std::move(result);
  return Status::Ok();
}

bool supports_square_root(const OperatorRef& op) { return elementwise_shapes_supported(op); }

Status create_square_root(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  return make_unary_kernel(
      op, exec, "xnn_create_square_root_nc_f32",
      [](size_t count, xnn_operator_t* created) {
        return xnn_create_square_root_nc_f32(count, count, count, 0, created);
      },
      "xnn_setup_square_root_nc_f32", xnn_setup_square_root_nc_f32, kernel);
}

}  // namespace

namespace {

struct UnaryOperator {
  fb::OpCode opcode;
  bool (*supports)(const OperatorRef&);
  Status (*create)(const OperatorRef&, const ExecutionContext&, std::unique_ptr<Kernel>*);
};

// No TANH: XNNPACK has no such operator in this version.
constexpr UnaryOperator kUnaryOperators[] = {
    {fb::OpCode::RELU, supports_clamp, create_clamp},
    {fb::OpCode::CLIP, supports_clamp, create_clamp},
    {fb::OpCode::LEAKY_RELU, supports_leaky_relu, create_leaky_relu},
    {fb::OpCode::SIGMOID, supports_sigmoid, create_sigmoid},
    {fb::OpCode::HARD_SIGMOID, supports_hard_sigmoid, create_hard_sigmoid},
    {fb::OpCode::HARD_SWISH, supports_hard_swish, create_hard_swish},
    {fb::OpCode::SILU, supports_silu, create_silu},
    {fb::OpCode::SQRT, supports_square_root, create_square_root},
};

const UnaryOperator* find_unary(fb::OpCode code) {
  for (const UnaryOperator& entry : kUnaryOperators) {
    if (entry.opcode == code) return &entry;
  }
  return nullptr;
}

}  // namespace

bool supports_unary(const OperatorRef& op) {
  const UnaryOperator* entry = find_unary(op.opcode());
  return entry != nullptr && entry->supports(op);
}

Status create_unary(const OperatorRef& op, const ExecutionContext& exec, std::unique_ptr<Kernel>* kernel) {
  const UnaryOperator* entry = find_unary(op.opcode());
  if (entry == nullptr) return unsupported(op, "no XNNPACK unary operator for this opcode");
  return entry->create(op, exec, kernel);
}

}  // namespace bespoke::rt::xnnpack
