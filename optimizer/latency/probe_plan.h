// Probe planning: which models to run on a device so that every done
// alternative of a house is measured in context (ARCHITECTURE.md section 1,
// step 3).
//
// A probe is the teacher with several alternatives stitched in at once; the
// alternatives of one probe must not overlap (their spans [cut_begin,
// cut_end) share no unit; touching at a cut is fine). Packing the
// alternatives into as few probes as possible is colouring an interval
// graph: taking them by start cut and putting each in the lowest-numbered
// probe whose last span ended at or before its start is optimal (the probe
// count equals the largest number of alternatives covering one unit).
//
// The identity (a drop that keeps no operator) has no block and costs
// nothing in context: it is not probed (its latency is 0).
//
// A probe is named by its keys in span order, joined by '+'; its stitched
// graph names each alternative's block by its key (house/student.h), which
// is how a block's profile is matched back to the alternative.
#pragma once

#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "house/house_store.h"
#include "ir/graph.h"

namespace bespoke::latency {

struct Probe {
  std::string name;               // keys joined by '+'
  std::vector<std::string> keys;  // in span order
};

// True for a done alternative with no operators (nothing to measure).
bool is_identity(const house::AlternativeRecord& alternative);

// The probes of every done, non-identity alternative of `alternatives`
// (any order), deterministic: ties broken by key.
std::vector<Probe> plan_probes(const std::vector<house::AlternativeRecord>& alternatives);

// The teacher with unit blocks (blocks::assign_unit_blocks) and its analysis:
// the host every probe and student is stitched into.
struct ProbeHost {
  ir::Graph teacher;
  blocks::BlockAnalysis analysis;
};
ProbeHost make_probe_host(ir::Graph teacher);

// The .bspk bytes of the teacher with `keys` stitched in (none: the teacher).
std::vector<uint8_t> probe_model(const ProbeHost& host, const house::HouseStore& store,
                                 const std::vector<std::string>& keys);

}  // namespace bespoke::latency
