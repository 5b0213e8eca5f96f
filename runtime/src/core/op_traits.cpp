#include "core/op_traits.h"

#include <iterator>

namespace bespoke::rt {
namespace {

using O = fb::OperatorOptions;
constexpr uint32_t kBiasOptional = 1u << 2;

// Indexed by opcode value; the static_assert below keeps it in step with the schema.
constexpr OpTraits kTraits[] = {
    /* CONV_2D */ {O::Conv2DOptions, 2, 3, kBiasOptional, 1},
    /* CONV_TRANSPOSE_2D */ {O::ConvTranspose2DOptions, 2, 3, kBiasOptional, 1},
    /* FULLY_CONNECTED */ {O::FullyConnectedOptions, 2, 3, kBiasOptional, 1},
    /* MAX_POOL_2D */ {O::Pool2DOptions, 1, 1, 0, 1},
    /* AVERAGE_POOL_2D */ {O::Pool2DOptions, 1, 1, 0, 1},
    /* GLOBAL_AVERAGE_POOL */ {O::NONE, 1, 1, 0, 1},
    /* ADD */ {O::BinaryOptions, 2, 2, 0, 1},
    /* SUB */ {O::BinaryOptions, 2, 2, 0, 1},
    /* MUL */ {O::BinaryOptions, 2, 2, 0, 1},
    /* DIV */ {O::BinaryOptions, 2, 2, 0, 1},
    /* RELU */ {O::NONE, 1, 1, 0, 1},
    /* CLIP */ {O::ClipOptions, 1, 1, 0, 1},
    /* LEAKY_RELU */ {O::LeakyReluOptions, 1, 1, 0, 1},
    /* SIGMOID */ {O::NONE, 1, 1, 0, 1},
    /* HARD_SIGMOID */ {O::HardSigmoidOptions, 1, 1, 0, 1},
    /* HARD_SWISH */ {O::NONE, 1, 1, 0, 1},
    /* SILU */ {O::NONE, 1, 1, 0, 1},
    /* TANH */ {O::NONE, 1, 1, 0, 1},
    /* SOFTMAX */ {O::SoftmaxOptions, 1, 1, 0, 1},
    /* CONCAT */ {O::ConcatOptions, 1, -1, 0, 1},
    /* RESHAPE */ {O::ReshapeOptions, 1, 1, 0, 1},
    /* TRANSPOSE */ {O::TransposeOptions, 1, 1, 0, 1},
    /* PAD */ {O::PadOptions, 1, 1, 0, 1},
    /* RESIZE */ {O::ResizeOptions, 1, 1, 0, 1},
    /* CHANNEL_SHUFFLE */ {O::ChannelShuffleOptions, 1, 1, 0, 1},
    /* REDUCE_MEAN */ {O::ReduceOptions, 1, 1, 0, 1},
    /* SLICE */ {O::SliceOptions, 1, 1, 0, 1},
    /* SPLIT */ {O::SplitOptions, 1, 1, 0, -1},
    /* BATCH_NORM */ {O::BatchNormOptions, 5, 5, 0, 1},
    /* SQRT */ {O::NONE, 1, 1, 0, 1},
    /* BATCH_MATMUL */ {O::NONE, 2, 2, 0, 1},
};
static_assert(std::size(kTraits) == static_cast<size_t>(fb::OpCode::MAX) + 1,
              "kTraits must have one entry per fb::OpCode");

}  // namespace

const OpTraits* op_traits(fb::OpCode code) {
  const auto index = static_cast<size_t>(code);
  return index < std::size(kTraits) ? &kTraits[index] : nullptr;
}

const char* op_name(fb::OpCode code) {
  const char* name = fb::EnumNameOpCode(code);
  return (name != nullptr && *name != '\0') ? name : "UNKNOWN";
}

std::string printable_name(std::string_view name) {
  constexpr size_t kMaxShown = 80;
  std::string text(name.substr(0, kMaxShown));
  if (name.size() > kMaxShown) text += "...";
  for (char& c : text) {
    if (c < 0x20 || c == 0x7f) c = '?';  // also bytes >= 0x80 (char is signed here)
  }
  return text;
}

std::string operator_label(int index, std::string_view name, fb::OpCode code) {
  std::string label = "operator " + std::to_string(index);
  if (!name.empty()) label += " '" + printable_name(name) + "'";
  const char* known = fb::EnumNameOpCode(code);
  if (known != nullptr && *known != '\0') return label + " (" + known + ")";
  return label + " (opcode " + std::to_string(static_cast<uint32_t>(code)) + ")";
}

}  // namespace bespoke::rt
