#include "export/bspk_op_table.h"

namespace bespoke::exporter {

namespace {

using O = fb::OperatorOptions;
using C = fb::OpCode;
constexpr uint32_t v1 = kRuntimeVersionV1;
constexpr uint32_t v2 = kRuntimeVersionV2;

// Indexed by opcode value (checked in find_op), in the order of bespoke.fbs.
const BspkOpInfo kOps[] = {
    {"Conv", C::CONV_2D, O::Conv2DOptions, 2, 3, 1, 1, v1},
    {"ConvTranspose", C::CONV_TRANSPOSE_2D, O::ConvTranspose2DOptions, 2, 3, 1, 1, v1},
    {"FullyConnected", C::FULLY_CONNECTED, O::FullyConnectedOptions, 2, 3, 1, 1, v1},
    {"MaxPool", C::MAX_POOL_2D, O::Pool2DOptions, 1, 1, 1, 1, v1},
    {"AveragePool", C::AVERAGE_POOL_2D, O::Pool2DOptions, 1, 1, 1, 1, v1},
    {"GlobalAveragePool", C::GLOBAL_AVERAGE_POOL, O::NONE, 1, 1, 1, 1, v1},
    {"Add", C::ADD, O::BinaryOptions, 2, 2, 1, 1, v1},
    {"Sub", C::SUB, O::BinaryOptions, 2, 2, 1, 1, v1},
    {"Mul", C::MUL, O::BinaryOptions, 2, 2, 1, 1, v1},
    {"Div", C::DIV, O::BinaryOptions, 2, 2, 1, 1, v1},
    {"Relu", C::RELU, O::NONE, 1, 1, 1, 1, v1},
    {"Clip", C::CLIP, O::ClipOptions, 1, 1, 1, 1, v1},
    {"LeakyRelu", C::LEAKY_RELU, O::LeakyReluOptions, 1, 1, 1, 1, v1},
    {"Sigmoid", C::SIGMOID, O::NONE, 1, 1, 1, 1, v1},
    {"HardSigmoid", C::HARD_SIGMOID, O::HardSigmoidOptions, 1, 1, 1, 1, v1},
    {"HardSwish", C::HARD_SWISH, O::NONE, 1, 1, 1, 1, v1},
    {"SiLU", C::SILU, O::NONE, 1, 1, 1, 1, v1},
    {"Tanh", C::TANH, O::NONE, 1, 1, 1, 1, v1},
    {"Softmax", C::SOFTMAX, O::SoftmaxOptions, 1, 1, 1, 1, v1},
    {"Concat", C::CONCAT, O::ConcatOptions, 1, -1, 1, 1, v1},
    {"Reshape", C::RESHAPE, O::ReshapeOptions, 1, 1, 1, 1, v1},
    {"Transpose", C::TRANSPOSE, O::TransposeOptions, 1, 1, 1, 1, v1},
    {"Pad", C::PAD, O::PadOptions, 1, 1, 1, 1, v1},
    {"Resize", C::RESIZE, O::ResizeOptions, 1, 1, 1, 1, v1},
    {"ChannelShuffle", C::CHANNEL_SHUFFLE, O::ChannelShuffleOptions, 1, 1, 1, 1, v1},
    {"ReduceMean", C::REDUCE_MEAN, O::ReduceOptions, 1, 1, 1, 1, v1},
    {"Slice", C::SLICE, O::SliceOptions, 1, 1, 1, 1, v1},
    {"Split", C::SPLIT, O::SplitOptions, 1, 1, 1, -1, v1},
    {"BatchNormalization", C::BATCH_NORM, O::BatchNormOptions, 5, 5, 1, 1, v1},
    {"Sqrt", C::SQRT, O::NONE, 1, 1, 1, 1, v2},
    {"MatMul", C::BATCH_MATMUL, O::NONE, 2, 2, 1, 1, v2},
};
constexpr size_t kOpCount = sizeof(kOps) / sizeof(kOps[0]);

}  // namespace

const BspkOpInfo* find_op(const std::string& op) {
  for (const auto& info : kOps)
    if (op == info.name) return &info;
  return nullptr;
}

const BspkOpInfo* find_op(fb::OpCode code) {
  auto i = static_cast<size_t>(code);
  if (i >= kOpCount || kOps[i].code != code) return nullptr;
  return &kOps[i];
}

std::string check_arity(const BspkOpInfo& info, const std::vector<int>& inputs, const std::vector<int>& outputs) {
  auto count_problem = [](const char* what, size_t n, int lo, int hi) -> std::string {
    if (static_cast<int64_t>(n) >= lo && (hi < 0 || static_cast<int64_t>(n) <= hi)) return "";
    std::string range = hi < 0     ? "at least " + std::to_string(lo)
                        : lo == hi ? std::to_string(lo)
                                   : std::to_string(lo) + ".." + std::to_string(hi);
    return std::string("has ") + std::to_string(n) + " " + what + ", expected " + range;
  };
  std::string p = count_problem("inputs", inputs.size(), info.min_inputs, info.max_inputs);
  if (p.empty()) p = count_problem("outputs", outputs.size(), info.min_outputs, info.max_outputs);
  if (!p.empty()) return p;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i] < 0 && static_cast<int>(i) < info.min_inputs)
      return "required input " + std::to_string(i) + " is absent";
  for (size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i] < 0) return "output " + std::to_string(i) + " is absent";
  return "";
}

std::string runtime_version_string(uint32_t v) {
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

}  // namespace bespoke::exporter
