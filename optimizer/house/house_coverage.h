// How much of the teacher a house's spans cover: the figure that says
// whether a tight budget can be reached at all (a unit no span covers runs
// unchanged in every student).
//
// Definitions: unit i (between cuts i and i+1, blocks/block_analysis.h) is
// *covered* when some span [a, b] of the house has a <= i < b. A unit is
// *coverable* when some eligible span could hold it (house/span_sampling.h);
// UnitCost::not_coverable says why not otherwise. Coverage is the covered
// units' share of a per-unit cost: the teacher's FLOPs (ir/cost.h, summed over
// the unit's nodes), or a target's profiled in-context unit times
// (latency/latency_table.h: LatencyTable::unit_ms).
//
// Stored: the build writes the per-unit record into the house's meta
// (kUnitsMeta, JSON: [{"name", "flops", "not_coverable"}, ...] in unit order),
// so `bespoke-opt house status` reports coverage without the teacher model,
// which may live on another machine. Houses built before this record have
// none; readers say so instead of failing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bespoke::house {

inline constexpr const char* kUnitsMeta = "units";

struct UnitCost {
  std::string name;
  int64_t flops = 0;
  std::string not_coverable;  // "" = some eligible span can hold it; else why none can
};

struct Coverage {
  int spans = 0;
  int64_t covered_flops = 0, total_flops = 0;
  std::vector<int> uncovered;      // coverable units no span covers
  std::vector<int> not_coverable;  // units no eligible span can hold
  double flops_share() const {
    return total_flops > 0 ? static_cast<double>(covered_flops) / static_cast<double>(total_flops) : 0.0;
  }
};

using CutSpan = std::pair<int, int>;  // [cut_begin, cut_end]

// Spans reaching past the units are clipped to them.
Coverage compute_coverage(const std::vector<UnitCost>& units, const std::vector<CutSpan>& spans);

// The covered units' share of sum(unit_values) (unit_ms of a latency table);
// nullopt when the sizes differ or the sum is not positive.
std::optional<double> covered_share(const std::vector<double>& unit_values, const std::vector<CutSpan>& spans);

// "97.3%": the share in percent, rounded down, so that a share short of the
// whole never reads 100.0%.
std::string share_text(double share);

// One line: "97.3% of the teacher's FLOPs in 14 spans (units not coverable:
// 8, 9 — the head, not between feature maps)"; uncovered coverable units, if
// any, are named as well. Unit lists are compressed to ranges ("31–35").
std::string describe_coverage(const Coverage& coverage, const std::vector<UnitCost>& units);

std::string units_to_json(const std::vector<UnitCost>& units);
// Throws HouseError (house_error.h) for text that is not such a record.
std::vector<UnitCost> units_from_json(const std::string& text);

}  // namespace bespoke::house
