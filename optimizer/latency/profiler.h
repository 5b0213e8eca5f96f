// Profiling one target into the house: the library entry point behind
// `bespoke-opt profile` (and the pipeline's `bespoke-opt run`).
//
// Algorithm (ARCHITECTURE.md section 1, step 3):
//  1. Plan the probes (probe_plan.h) from the house's done alternatives.
//  2. Learn the fingerprint: the device's description and the backend the
//     runtime actually chooses for the teacher with these settings (one
//     short measurement). A complete or partial profile of the same target
//     name from another fingerprint is refused (LatencyError) unless
//     options.force; with other settings or another probe plan the stored
//     measurements are discarded and the profile starts afresh.
//  3. For each round r of [profile] rounds, in this order: the teacher end
//     to end (no profiling), the teacher with its per-unit profile, then every
//     probe with its per-block profile, each probe interleaved with the
//     profiled teacher in one measurement (warm-up, then [profile] runs
//     timed runs of each, in turn; round medians), so that every probe
//     carries the device's speed at that moment (its reference_ms). Each
//     result is stored at once as (target, r, probe); a (round, probe)
//     already stored is skipped, so an interrupted profile resumes without
//     measuring anything again. The teacher, measured at the start of every
//     round, shows drift.
//  4. Build the table (table_builder.h) and store it; the target is complete.
//
// Progress: one line per measurement on `progress` ("[k/n] round r probe
// ... 0.213 ms"), and the summary line with the drift.
#pragma once

#include <ostream>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/device_link.h"
#include "latency/latency_table.h"
#include "latency/table_builder.h"

namespace bespoke::latency {

struct ProfileOptions {
  bool force = false;  // replace a profile of another fingerprint
  bool fresh = false;  // discard what is stored for this target and measure everything again
};

struct ProfileResult {
  LatencyTable table;
  size_t probes = 0;    // probe models (the teacher not counted)
  size_t measured = 0;  // measurements made now
  size_t reused = 0;    // measurements found stored (resumed)
  double seconds = 0.0;
};

// The settings of `target` under `profile`.
MeasureSettings measure_settings(const config::TargetConfig& target, const config::ProfileConfig& profile);

// Profiles `target` through `link` into `store`. `teacher`: the teacher as
// loaded for the house build (before blocks are assigned). Throws
// LatencyError (foreign fingerprint, device failure) or HouseError.
ProfileResult profile_target(house::HouseStore& store, const config::ProfileConfig& profile,
                             const config::TargetConfig& target, const ir::Graph& teacher, DeviceLink& link,
                             const ProfileOptions& options, std::ostream& progress);

// Refuses (LatencyError naming both) when `store` holds target `name` from
// another fingerprint, unless `force`. Shared with the offline import.
void check_fingerprint(const LatencyStore& store, const std::string& name, const Fingerprint& device, bool force);

}  // namespace bespoke::latency
