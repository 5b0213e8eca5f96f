#include "house/alternative_kind.h"

#include "house/house_error.h"

namespace bespoke::house {

const char* kind_name(AlternativeKind kind) {
  switch (kind) {
    case AlternativeKind::kDrop: return "drop";
    case AlternativeKind::kPretrained: return "pretrained";
    case AlternativeKind::kPruned: return "pruned";
    case AlternativeKind::kLowRank: return "low_rank";
  }
  return "unknown";
}

AlternativeKind parse_kind(const std::string& name) {
  for (const AlternativeKind kind : kAllAlternativeKinds) {
    if (name == kind_name(kind)) return kind;
  }
  throw HouseError("unknown alternative kind '" + name + "' (known: drop, pretrained, pruned, low_rank)");
}

}  // namespace bespoke::house
