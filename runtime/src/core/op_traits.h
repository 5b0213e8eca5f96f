// OpTraits: the static facts about each operator code that do not depend on
// shapes: its options table, how many inputs and outputs it takes, and which
// inputs may be absent (-1). Used by the verifier and for messages/profiles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "schema/bespoke_generated.h"

namespace bespoke::rt {

struct OpTraits {
  fb::OperatorOptions options;  // required options table; NONE = the operator takes none
  int min_inputs;
  int max_inputs;            // -1: variadic (bounded by VerifyLimits::max_operator_arity)
  uint32_t optional_inputs;  // bit i set: input i may be -1
  int outputs;               // -1: variadic, at least one
};

// Traits of `code`, or nullptr if this runtime does not know the code.
const OpTraits* op_traits(fb::OpCode code);

// "CONV_2D", ... or "UNKNOWN" for a code this runtime does not know.
const char* op_name(fb::OpCode code);

// A name read from a model file, safe to print: at most 80 characters (then
// "..."), control characters replaced by '?'.
std::string printable_name(std::string_view name);

// "operator 3 'conv1' (CONV_2D)": how every message names an operator (the
// verifier, the session, every backend). An empty name is left out; a code
// this runtime does not know shows as "(opcode 77)".
std::string operator_label(int index, std::string_view name, fb::OpCode code);

}  // namespace bespoke::rt
