#include "backends/reference/registry.h"

#include <iterator>
#include <string>

#include "backends/reference/operators.h"

namespace bespoke::rt::reference {
namespace {

constexpr int kVariadic = -1;
constexpr int kNoOptionalInput = -1;

enum class Options { kRequired, kOptional, kIgnored };

struct OperatorEntry {
  fb::OpCode opcode;
  fb::OperatorOptions options_type;  // expected union type (NONE: none)
  Options options;
  int min_inputs, max_inputs;  // max kVariadic = unbounded
  int min_outputs, max_outputs;
  int optional_input;  // the one input that may be -1, or kNoOptionalInput
  OptionsCheck check;
  KernelFactory create;
};

using fb::OpCode;
using fb::OperatorOptions;

// clang-format off
constexpr OperatorEntry kOperators[] = {
  {OpCode::CONV_2D, OperatorOptions::Conv2DOptions, Options::kRequired, 2, 3, 1, 1, 2, check_conv2d, create_conv2d},
  {OpCode::CONV_TRANSPOSE_2D, OperatorOptions::ConvTranspose2DOptions, Options::kRequired, 2, 3, 1, 1, 2,
   check_conv_transpose2d, create_conv_transpose2d},
  {OpCode::FULLY_CONNECTED, OperatorOptions::FullyConnectedOptions, Options::kOptional, 2, 3, 1, 1, 2,
   check_fully_connected, create_fully_connected},
  {OpCode::MAX_POOL_2D, OperatorOptions::Pool2DOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_max_pool2d, create_max_pool2d},
  {OpCode::AVERAGE_POOL_2D, OperatorOptions::Pool2DOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_average_pool2d, create_average_pool2d},
  {OpCode::GLOBAL_AVERAGE_POOL, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput,
   check_global_average_pool, create_global_average_pool},
  {OpCode::ADD, OperatorOptions::BinaryOptions, Options::kOptional, 2, 2, 1, 1, kNoOptionalInput,
   check_add, create_add},
  {OpCode::SUB, OperatorOptions::BinaryOptions, Options::kOptional, 2, 2, 1, 1, kNoOptionalInput,
   check_sub, create_sub},
  {OpCode::MUL, OperatorOptions::BinaryOptions, Options::kOptional, 2, 2, 1, 1, kNoOptionalInput,
   check_mul, create_mul},
  {OpCode::DIV, OperatorOptions::BinaryOptions, Options::kOptional, 2, 2, 1, 1, kNoOptionalInput,
   check_div, create_div},
  {OpCode::RELU, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_relu, create_relu},
  {OpCode::CLIP, OperatorOptions::ClipOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_clip, create_clip},
  {OpCode::LEAKY_RELU, OperatorOptions::LeakyReluOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_leaky_relu, create_leaky_relu},
  {OpCode::SIGMOID, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_sigmoid,
   create_sigmoid},
  {OpCode::HARD_SIGMOID, OperatorOptions::HardSigmoidOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_hard_sigmoid, create_hard_sigmoid},
  {OpCode::HARD_SWISH, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_hard_swish,
   create_hard_swish},
  {OpCode::SILU, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_silu, create_silu},
  {OpCode::TANH, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_tanh, create_tanh},
  {OpCode::SOFTMAX, OperatorOptions::SoftmaxOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_softmax, create_softmax},
  {OpCode::CONCAT, OperatorOptions::ConcatOptions, Options::kRequired, 1, kVariadic, 1, 1, kNoOptionalInput,
   check_concat, create_concat},
  {OpCode::RESHAPE, OperatorOptions::ReshapeOptions, Options::kOptional, 1, 1, 1, 1, kNoOptionalInput,
   check_reshape, create_reshape},
  {OpCode::TRANSPOSE, OperatorOptions::TransposeOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_transpose, create_transpose},
  {OpCode::PAD, OperatorOptions::PadOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput, check_pad, create_pad},
  {OpCode::RESIZE, OperatorOptions::ResizeOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput, check_resize,
   create_resize},
  {OpCode::CHANNEL_SHUFFLE, OperatorOptions::ChannelShuffleOptions, Options::kRequired, 1, 1, 1, 1,
   kNoOptionalInput, check_channel_shuffle, create_channel_shuffle},
  {OpCode::REDUCE_MEAN, OperatorOptions::ReduceOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput,
   check_reduce_mean, create_reduce_mean},
  {OpCode::SLICE, OperatorOptions::SliceOptions, Options::kRequired, 1, 1, 1, 1, kNoOptionalInput, check_slice,
   create_slice},
  {OpCode::SPLIT, OperatorOptions::SplitOptions, Options::kRequired, 1, 1, 1, kVariadic, kNoOptionalInput,
   check_split, create_split},
  {OpCode::BATCH_NORM, OperatorOptions::BatchNormOptions, Options::kRequired, 5, 5, 1, 1, kNoOptionalInput,
   check_batch_norm, create_batch_norm},
  {OpCode::SQRT, OperatorOptions::NONE, Options::kIgnored, 1, 1, 1, 1, kNoOptionalInput, check_sqrt, create_sqrt},
  {OpCode::BATCH_MATMUL, OperatorOptions::NONE, Options::kIgnored, 2, 2, 1, 1, kNoOptionalInput,
   check_batch_matmul, create_batch_matmul},
};
// clang-format on

const OperatorEntry* find_entry(fb::OpCode opcode) {
  for (const OperatorEntry& entry : kOperators)
    if (entry.opcode == opcode) return &entry;
  return nullptr;
}

bool count_in_range(size_t count, int min, int max) {
  return count >= static_cast<size_t>(min) && (max == kVariadic || count <= static_cast<size_t>(max));
}

std::string arity_text(int min, int max) {
  if (max == kVariadic) return "at least " + std::to_string(min);
  if (min == max) return std::to_string(min);
  return std::to_string(min) + " to " + std::to_string(max);
}

Status check_tensor_type(const KernelArgs& args, const TensorInfo& t, const char* role, size_t slot) {
  if (t.type == fb::ElementType::FLOAT32) return Status::Ok();
  return Status(StatusCode::kUnsupported, describe(args) + ": " + role + " " + std::to_string(slot) + " '" +
                                              std::string(t.name) + "' is " + fb::EnumNameElementType(t.type) +
                                              ", the reference backend runs FLOAT32 only");
}

Status check_generic(const KernelArgs& args, const OperatorEntry& entry) {
  const fb::Operator* op = args.op().op;
  if (!count_in_range(args.input_count(), entry.min_inputs, entry.max_inputs))
    return op_error(args, "has " + std::to_string(args.input_count()) + " inputs, expected " +
                              arity_text(entry.min_inputs, entry.max_inputs));
  if (!count_in_range(args.output_count(), entry.min_outputs, entry.max_outputs))
    return op_error(args, "has " + std::to_string(args.output_count()) + " outputs, expected " +
                              arity_text(entry.min_outputs, entry.max_outputs));
  if (entry.options != Options::kIgnored && op != nullptr) {
    const bool present = op->options_type() != fb::OperatorOptions::NONE && op->options() != nullptr;
    if (present && op->options_type() != entry.options_type)
      return op_error(args, std::string("has ") + fb::EnumNameOperatorOptions(op->options_type()) +
                                ", expected " + fb::EnumNameOperatorOptions(entry.options_type));
    if (!present && entry.options == Options::kRequired)
      return op_error(args, std::string("is missing its ") + fb::EnumNameOperatorOptions(entry.options_type));
  }
  for (size_t i = 0; i < args.input_count(); ++i) {
    if (!args.has_input(i)) {
      if (static_cast<int>(i) == entry.optional_input) continue;
      return op_error(args, "required input " + std::to_string(i) + " is absent");
    }
    BSP_RETURN_IF_ERROR(check_tensor_type(args, args.input(i), "input", i));
  }
  for (size_t i = 0; i < args.output_count(); ++i) {
    if (args.op().outputs[i] < 0) return op_error(args, "output " + std::to_string(i) + " is absent");
    BSP_RETURN_IF_ERROR(check_tensor_type(args, args.output(i), "output", i));
  }
  return Status::Ok();
}

}  // namespace

Status check_operator(const KernelArgs& args) {
  const OperatorEntry* entry = find_entry(args.op().opcode);
  if (entry == nullptr)
    return Status(StatusCode::kUnsupported, describe(args) + ": opcode not supported by the reference backend");
  BSP_RETURN_IF_ERROR(check_generic(args, *entry));
  return entry->check(args);
}

Status create_operator(const KernelArgs& args, std::unique_ptr<Kernel>* kernel) {
  BSP_RETURN_IF_ERROR(check_operator(args));
  return find_entry(args.op().opcode)->create(args, kernel);
}

}  // namespace bespoke::rt::reference
