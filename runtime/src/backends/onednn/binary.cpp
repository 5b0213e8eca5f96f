// ADD, SUB, MUL, DIV as a oneDNN binary primitive with numpy broadcasting.
//
// Every operand is described with the output's rank (leading size-1 dims,
// as numpy aligns shapes) and its own storage strides, so an NHWC image
// meets a row-major [C, 1, 1] bias exactly where broadcasting says. oneDNN
// broadcasts only its second source: when the first operand is the
// broadcast one, ADD and MUL swap their operands and SUB computes
// -(B - A) (negation is exact); DIV, or both operands broadcast, is left to
// other backends.
#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/memory_desc.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {
namespace {

struct BinaryPlan {
  dnnl_alg_kind_t algorithm = dnnl_binary_add;
  bool swap = false;    // src0 = input 1, src1 = input 0
  bool negate = false;  // SUB computed as B - A, then negated
};

bool full_shape(const StoredShape& operand, const StoredShape& output) { return same_dims(operand, output); }

bool broadcastable(const StoredShape& operand, const StoredShape& output) {
  for (int i = 0; i < output.rank; ++i)
    if (operand.dims[i] != output.dims[i] && operand.dims[i] != 1) return false;
  return true;
}

bool plan_binary(const OperatorRef& op, BinaryPlan* plan) {
  if (op.input_count() != 2 || op.output_count() != 1 || !op.has_input(0) || !op.has_input(1)) return false;
  const TensorInfo& y = op.output(0);
  const int rank = y.rank;
  if (op.input(0).rank > rank || op.input(1).rank > rank) return false;
  const StoredShape out = stored_shape(y);
  const StoredShape a = stored_shape(op.input(0), rank);
  const StoredShape b = stored_shape(op.input(1), rank);
  if (!broadcastable(a, out) || !broadcastable(b, out)) return false;
  switch (op.info().opcode) {
    case fb::OpCode::ADD: plan->algorithm = dnnl_binary_add; break;
    case fb::OpCode::SUB: plan->algorithm = dnnl_binary_sub; break;
    case fb::OpCode::MUL: plan->algorithm = dnnl_binary_mul; break;
    case fb::OpCode::DIV: plan->algorithm = dnnl_binary_div; break;
    default: return false;
  }
  if (full_shape(a, out)) return true;
  if (!full_shape(b, out) || plan->algorithm == dnnl_binary_div) return false;
  plan->swap = true;
  plan->negate = plan->algorithm == dnnl_binary_sub;
  return true;
}

}  // namespace

bool supports_binary(const OperatorRef& op) {
  const fb::BinaryOptions* options = op.info().op->options_as_BinaryOptions();
  BinaryPlan plan;
  return plan_binary(op, &plan) && activation_supported(options != nullptr ? options->activation() : nullptr);
}

Status create_binary(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const fb::BinaryOptions* options = op.info().op->options_as_BinaryOptions();
  BinaryPlan plan;
  if (!plan_binary(op, &plan)) return Internal("create_binary called for an unsupported operator");
  const int rank = op.output(0).rank;
  const size_t first = plan.swap ? 1 : 0, second = plan.swap ? 0 : 1;
  dnnl_memory_desc_t src0, src1, dst;
  BSP_RETURN_IF_ERROR(desc_from(stored_shape(op.input(first), rank), &src0));
  BSP_RETURN_IF_ERROR(desc_from(stored_shape(op.input(second), rank), &src1));
  BSP_RETURN_IF_ERROR(stored_desc(op.output(0), &dst));

  std::vector<EltwiseStep> post_ops;
  if (plan.negate) post_ops.push_back({dnnl_eltwise_linear, -1.0f, 0.0f});
  append_activation(options != nullptr ? options->activation() : nullptr, &post_ops);
  AttrPtr attr;
  BSP_RETURN_IF_ERROR(make_attributes(post_ops, &attr));
  dnnl_binary_desc_t desc;
  BSP_DNNL_CHECK(dnnl_binary_desc_init(&desc, plan.algorithm, &src0, &src1, &dst));
  PrimitiveDescPtr pd;
  BSP_RETURN_IF_ERROR(create_primitive_desc(&desc, attr.get(), *env.context, &pd));

  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  int step = 0;
  BSP_RETURN_IF_ERROR(result->add_step(pd.get(), &step));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SRC_0, first, src0));
  BSP_RETURN_IF_ERROR(result->bind_input(step, DNNL_ARG_SRC_1, second, src1));
  BSP_RETURN_IF_ERROR(result->bind_output(step, DNNL_ARG_DST, 0, dst));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
