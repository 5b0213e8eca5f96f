// The kinds of alternatives in a model house (house/alternative.h says what
// each one is). Their names are the spelling used in the config file
// (house.kinds), in house.sqlite and in `bespoke-opt house list --json`.
#pragma once

#include <array>
#include <string>

namespace bespoke::house {

enum class AlternativeKind { kDrop, kPretrained, kPruned, kLowRank };

inline constexpr std::array<AlternativeKind, 4> kAllAlternativeKinds = {
    AlternativeKind::kDrop, AlternativeKind::kPretrained, AlternativeKind::kPruned, AlternativeKind::kLowRank};

// "drop" | "pretrained" | "pruned" | "low_rank".
const char* kind_name(AlternativeKind kind);

// The inverse of kind_name; throws HouseError naming the unknown word.
AlternativeKind parse_kind(const std::string& name);

}  // namespace bespoke::house
