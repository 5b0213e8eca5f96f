// Unary element-wise operators as oneDNN eltwise primitives. The input and
// output have the same shape and therefore the same storage, so the data is
// described as one flat vector whatever its rank or layout.
//
//   RELU        eltwise_relu (alpha 0)
//   LEAKY_RELU  eltwise_relu (alpha = slope; x > 0 vs x >= 0 only differs at 0, where both give 0)
//   CLIP        eltwise_clip (min <= max)
//   SIGMOID     eltwise_logistic
//   TANH        eltwise_tanh
//   HARD_SWISH  eltwise_hardswish: x * relu6(x + 3) / 6, ONNX HardSwish
//   SILU        eltwise_swish with alpha 1: x * sigmoid(x)
//   SQRT        eltwise_sqrt (NaN for x < 0)
//   HARD_SIGMOID  oneDNN 2.6 has no hardsigmoid: eltwise_linear (alpha x + beta),
//                 then eltwise_clip [0, 1] in place on the output. (As a post-op
//                 of the linear step oneDNN 2.6 falls back to its reference
//                 eltwise, which is very slow and was seen to write NaN.)
#include <cmath>
#include <vector>

#include "backends/onednn/attributes.h"
#include "backends/onednn/eltwise_steps.h"
#include "backends/onednn/operators.h"

namespace bespoke::rt::onednn {
namespace {

// The eltwise primitives to run in order: the first reads the input, the
// others work in place on the output. Empty if there is no exact mapping.
std::vector<EltwiseStep> plan_eltwise(const OperatorRef& op) {
  const fb::Operator& o = *op.info().op;
  switch (op.info().opcode) {
    case fb::OpCode::RELU: return {{dnnl_eltwise_relu, 0.0f, 0.0f}};
    case fb::OpCode::SIGMOID: return {{dnnl_eltwise_logistic, 0.0f, 0.0f}};
    case fb::OpCode::TANH: return {{dnnl_eltwise_tanh, 0.0f, 0.0f}};
    case fb::OpCode::HARD_SWISH: return {{dnnl_eltwise_hardswish, 0.0f, 0.0f}};
    case fb::OpCode::SILU: return {{dnnl_eltwise_swish, 1.0f, 0.0f}};
    case fb::OpCode::SQRT: return {{dnnl_eltwise_sqrt, 0.0f, 0.0f}};
    case fb::OpCode::LEAKY_RELU: {
      const fb::LeakyReluOptions* options = o.options_as_LeakyReluOptions();
      const float alpha = options != nullptr ? options->alpha() : 0.01f;
      if (!std::isfinite(alpha)) return {};
      return {{dnnl_eltwise_relu, alpha, 0.0f}};
    }
    case fb::OpCode::CLIP: {
      const fb::ClipOptions* options = o.options_as_ClipOptions();
      if (options == nullptr || std::isnan(options->min()) || std::isnan(options->max()) ||
          options->min() > options->max())
        return {};
      return {{dnnl_eltwise_clip, options->min(), options->max()}};
    }
    case fb::OpCode::HARD_SIGMOID: {
      const fb::HardSigmoidOptions* options = o.options_as_HardSigmoidOptions();
      const float alpha = options != nullptr ? options->alpha() : 0.2f;
      const float beta = options != nullptr ? options->beta() : 0.5f;
      if (!std::isfinite(alpha) || !std::isfinite(beta)) return {};
      return {{dnnl_eltwise_linear, alpha, beta}, {dnnl_eltwise_clip, 0.0f, 1.0f}};
    }
    default: return {};
  }
}

}  // namespace

bool supports_unary(const OperatorRef& op) {
  if (op.input_count() != 1 || op.output_count() != 1 || !op.has_input(0)) return false;
  if (op.input(0).element_count != op.output(0).element_count || op.input(0).rank != op.output(0).rank) return false;
  return !plan_eltwise(op).empty();
}

Status create_unary(const OperatorRef& op, const KernelEnv& env, std::unique_ptr<Kernel>* kernel) {
  const std::vector<EltwiseStep> steps = plan_eltwise(op);
  if (steps.empty()) return Internal("create_unary called for an unsupported operator");
  std::unique_ptr<PrimitiveKernel> result = new_kernel(op, env);
  BSP_RETURN_IF_ERROR(append_eltwise_steps(env, steps, static_cast<int64_t>(op.input(0).element_count),
                                           /*first_reads_input=*/true, result.get()));
  *kernel = std::move(result);
  return Status::Ok();
}

}  // namespace bespoke::rt::onednn
