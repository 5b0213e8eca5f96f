// Operator checks common to every opcode: known code, matching options table,
// arity, tensor indices, element types, single assignment of outputs and
// definition before use (which makes the operator list a valid execution
// order and the graph acyclic), then the opcode's shape rule.
#include <cmath>
#include <string>

#include "bespoke/bespoke.h"
#include "core/op_traits.h"
#include "core/shape_rules.h"

namespace bespoke::rt::verify {

std::string shape_string(const Shape& s) {
  std::string text = "[";
  for (int i = 0; i < s.rank; ++i) {
    if (i > 0) text += ",";
    text += std::to_string(s[i]);
  }
  return text + "]";
}

Status OpCheck::fail(const std::string& message) const {
  return InvalidModel(operator_label(ctx_, index_) + ": " + message);
}

std::string OpCheck::input_label(int i) const {
  return "input " + std::to_string(i) + " (" + tensor_label(ctx_, info_.inputs[static_cast<size_t>(i)]) + ")";
}

Status OpCheck::require_rank(int i, int rank) const {
  if (input(i).rank != rank) {
    return fail(input_label(i) + " has " + std::to_string(input(i).rank) + " dims, expected " + std::to_string(rank));
  }
  return Status::Ok();
}

Status OpCheck::require_min_rank(int i, int rank) const {
  if (input(i).rank < rank) {
    return fail(input_label(i) + " has " + std::to_string(input(i).rank) + " dims, expected at least " +
                std::to_string(rank));
  }
  return Status::Ok();
}

Status OpCheck::require_constant(int i) const {
  if (!input(i).is_constant()) return fail(input_label(i) + " must be a constant");
  return Status::Ok();
}

Status OpCheck::require_optional_vector(int i, int64_t n, const char* what) const {
  if (!has_input(i)) return Status::Ok();
  BSP_RETURN_IF_ERROR(require_constant(i));
  const TensorInfo& t = input(i);
  if (t.rank != 1 || t.dim(0) != n) {
    return fail(std::string(what) + " " + input_label(i) + " has shape " + shape_string(t) + ", expected [" +
                std::to_string(n) + "]");
  }
  return Status::Ok();
}

Status check_fused_activation(const OpCheck& check, const fb::FusedActivation* activation) {
  if (activation == nullptr) return Status::Ok();
  switch (activation->type()) {
    case fb::ActivationType::NONE:
    case fb::ActivationType::RELU: return Status::Ok();
    case fb::ActivationType::CLIP:
      // Also rejects NaN bounds.
      if (!(activation->min() <= activation->max())) {
        return check.fail("fused CLIP activation has min " + std::to_string(activation->min()) + " > max " +
                          std::to_string(activation->max()));
      }
      return Status::Ok();
  }
  return check.fail("unknown fused activation type " + std::to_string(static_cast<int>(activation->type())));
}

ShapeRule shape_rule(fb::OpCode code) {
  using C = fb::OpCode;
  switch (code) {
    case C::CONV_2D: return conv2d_rule;
    case C::CONV_TRANSPOSE_2D: return conv_transpose2d_rule;
    case C::FULLY_CONNECTED: return fully_connected_rule;
    case C::BATCH_MATMUL: return batch_matmul_rule;
    case C::MAX_POOL_2D:
    case C::AVERAGE_POOL_2D: return pool2d_rule;
    case C::GLOBAL_AVERAGE_POOL: return global_average_pool_rule;
    case C::ADD:
    case C::SUB:
    case C::MUL:
    case C::DIV: return binary_rule;
    case C::RELU:
    case C::CLIP:
    case C::LEAKY_RELU:
    case C::SIGMOID:
    case C::HARD_SIGMOID:
    case C::HARD_SWISH:
    case C::SILU:
    case C::TANH:
    case C::SQRT: return unary_rule;
    case C::SOFTMAX: return softmax_rule;
    case C::CONCAT: return concat_rule;
    case C::RESHAPE: return reshape_rule;
    case C::TRANSPOSE: return transpose_rule;
    case C::PAD: return pad_rule;
    case C::RESIZE: return resize_rule;
    case C::CHANNEL_SHUFFLE: return channel_shuffle_rule;
    case C::REDUCE_MEAN: return reduce_mean_rule;
    case C::SLICE: return slice_rule;
    case C::SPLIT: return split_rule;
    case C::BATCH_NORM: return batch_norm_rule;
  }
  return nullptr;
}

namespace {

Status check_header(const VerifyContext& ctx, int index, const fb::Operator& op, const OpTraits** traits_out) {
  const OpTraits* traits = op_traits(op.opcode());
  if (traits == nullptr) {
    return Unsupported(operator_label(ctx, index) + ": not supported by this runtime (version " +
                       std::to_string(BSP_RUNTIME_VERSION) +
                       "); the file requires runtime >= " + std::to_string(ctx.model->min_runtime_version()));
  }
  const std::string where = operator_label(ctx, index);
  if (op.options_type() != traits->options) {
    const char* got = fb::EnumNameOperatorOptions(op.options_type());
    return InvalidModel(where + ": options are of type " +
                        std::string(got != nullptr && *got != '\0' ? got : "unknown") + ", expected " +
                        fb::EnumNameOperatorOptions(traits->options));
  }
  if (traits->options != fb::OperatorOptions::NONE && op.options() == nullptr) {
    return InvalidModel(where + ": the " + std::string(fb::EnumNameOperatorOptions(traits->options)) +
                        " table is missing");
  }
  const size_t n_in = op.inputs() != nullptr ? op.inputs()->size() : 0;
  const size_t n_out = op.outputs() != nullptr ? op.outputs()->size() : 0;
  const size_t max_in = traits->max_inputs >= 0 ? static_cast<size_t>(traits->max_inputs)
                                                : static_cast<size_t>(ctx.limits.max_operator_arity);
  if (n_in < static_cast<size_t>(traits->min_inputs) || n_in > max_in) {
    return InvalidModel(where + ": has " + std::to_string(n_in) + " inputs, expected " +
                        (traits->min_inputs == static_cast<int>(max_in)
                             ? std::to_string(max_in)
                             : std::to_string(traits->min_inputs) + " to " + std::to_string(max_in)));
  }
  const bool outputs_ok = traits->outputs >= 0
                              ? n_out == static_cast<size_t>(traits->outputs)
                              : (n_out >= 1 && n_out <= static_cast<size_t>(ctx.limits.max_operator_arity));
  if (!outputs_ok) {
    return InvalidModel(where + ": has " + std::to_string(n_out) + " outputs, expected " +
                        (traits->outputs >= 0 ? std::to_string(traits->outputs)
                                              : "1 to " + std::to_string(ctx.limits.max_operator_arity)));
  }
  *traits_out = traits;
  return Status::Ok();
}

Status check_input(const VerifyContext& ctx, int index, const OpTraits& traits, size_t position, int t) {
  const std::string where = operator_label(ctx, index) + ": input " + std::to_string(position);
  if (t == -1 && position < 32 && (traits.optional_inputs & (1u << position)) != 0) return Status::Ok();
  if (t < 0 || static_cast<size_t>(t) >= ctx.tensors.size()) {
    return InvalidModel(where + " has tensor index " + std::to_string(t) + ", out of range (" +
                        std::to_string(ctx.tensors.size()) + " tensors" +
                        (t == -1 ? "; this input is not optional)" : ")"));
  }
  const TensorInfo& info = ctx.tensors[static_cast<size_t>(t)];
  if (!info.is_constant() && ctx.is_graph_input[static_cast<size_t>(t)] == 0 &&
      ctx.producer[static_cast<size_t>(t)] < 0) {
    return InvalidModel(where + " (" + tensor_label(ctx, t) +
                        ") is used before it is defined (not a constant, a graph input or the output of an "
                        "earlier operator: wrong order or a cycle)");
  }
  if (info.type != fb::ElementType::FLOAT32) {
    return Unsupported(where + " (" + tensor_label(ctx, t) + ") has type " + fb::EnumNameElementType(info.type) +
                       "; this runtime executes FLOAT32 only");
  }
  return Status::Ok();
}

Status check_output(VerifyContext& ctx, int index, size_t position, int t) {
  const std::string where = operator_label(ctx, index) + ": output " + std::to_string(position);
  if (t < 0 || static_cast<size_t>(t) >= ctx.tensors.size()) {
    return InvalidModel(where + " has tensor index " + std::to_string(t) + ", out of range (" +
                        std::to_string(ctx.tensors.size()) + " tensors)");
  }
  const auto ut = static_cast<size_t>(t);
  const TensorInfo& info = ctx.tensors[ut];
  if (info.is_constant()) return InvalidModel(where + " (" + tensor_label(ctx, t) + ") is a constant");
  if (ctx.is_graph_input[ut] != 0) return InvalidModel(where + " (" + tensor_label(ctx, t) + ") is a graph input");
  if (ctx.producer[ut] >= 0) {
    return InvalidModel(where + " (" + tensor_label(ctx, t) + ") is already written by " +
                        operator_label(ctx, ctx.producer[ut]));
  }
  if (info.type != fb::ElementType::FLOAT32) {
    return Unsupported(where + " (" + tensor_label(ctx, t) + ") has type " + fb::EnumNameElementType(info.type) +
                       "; this runtime executes FLOAT32 only");
  }
  ctx.producer[ut] = index;
  return Status::Ok();
}

Status check_output_shapes(const VerifyContext& ctx, const OpCheck& check, const std::vector<Shape>& expected) {
  for (int i = 0; i < check.output_count(); ++i) {
    const TensorInfo& actual = check.output(i);
    const Shape& want = expected[static_cast<size_t>(i)];
    bool same = actual.rank == want.rank;
    for (int d = 0; same && d < want.rank; ++d) same = actual.dim(d) == want[d];
    if (!same) {
      return check.fail("output " + std::to_string(i) + " (" + tensor_label(ctx, check.info().outputs[i]) +
                        ") has shape " + shape_string(actual) + ", expected " + shape_string(want));
    }
  }
  return Status::Ok();
}

}  // namespace

Status verify_operators(VerifyContext& ctx) {
  const auto* ops = ctx.model->operators();
  const size_t count = ops != nullptr ? ops->size() : 0;
  if (count > ctx.limits.max_operators) {
    return InvalidModel("the model has " + std::to_string(count) + " operators; the limit is " +
                        std::to_string(ctx.limits.max_operators));
  }
  ctx.operators.reserve(count);
  size_t io_total = 0;
  std::vector<Shape> expected;
  for (size_t i = 0; i < count; ++i) {
    const int index = static_cast<int>(i);
    const fb::Operator& op = *ops->Get(static_cast<flatbuffers::uoffset_t>(i));
    const OpTraits* traits = nullptr;
    BSP_RETURN_IF_ERROR(check_header(ctx, index, op, &traits));
    const size_t n_in = op.inputs() != nullptr ? op.inputs()->size() : 0;
    const size_t n_out = op.outputs() != nullptr ? op.outputs()->size() : 0;
    io_total += n_in + n_out;
    if (io_total > ctx.limits.max_operator_io_total) {
      return InvalidModel("the operators have more than " + std::to_string(ctx.limits.max_operator_io_total) +
                          " inputs and outputs in total (limit reached at " + operator_label(ctx, index) + ")");
    }

    OperatorInfo info;
    info.opcode = op.opcode();
    info.op = &op;
    if (op.name() != nullptr) info.name = std::string_view(op.name()->c_str(), op.name()->size());
    info.inputs.reserve(n_in);
    for (size_t k = 0; k < n_in; ++k) {
      const int t = op.inputs()->Get(static_cast<flatbuffers::uoffset_t>(k));
      BSP_RETURN_IF_ERROR(check_input(ctx, index, *traits, k, t));
      info.inputs.push_back(t);
    }
    info.outputs.reserve(n_out);
    for (size_t k = 0; k < n_out; ++k) {
      const int t = op.outputs()->Get(static_cast<flatbuffers::uoffset_t>(k));
      BSP_RETURN_IF_ERROR(check_output(ctx, index, k, t));
      info.outputs.push_back(t);
    }

    const OpCheck check(ctx, index, info);
    expected.assign(n_out, Shape{});
    BSP_RETURN_IF_ERROR(shape_rule(info.opcode)(check, &expected));
    BSP_RETURN_IF_ERROR(check_output_shapes(ctx, check, expected));
    ctx.operators.push_back(std::move(info));
  }
  return Status::Ok();
}

}  // namespace bespoke::rt::verify
