// Joining the stores of a sharded build (`bespoke-opt house build --shard K/N`
// writes <out>/shard-K-of-N) into one house.
//
// Latency tables (schema v2: latency_targets, latency_measurements,
// latency_items; latency/latency_store.h) are carried too, so that a profile
// made in any input (an offline board's above all, which is costly to measure
// again) survives the merge. Per target name, over the inputs holding it (an
// existing output first, so a re-run merge never replaces a table already
// there, then the inputs in the order given):
//  - Devices: every holder must have profiled it on the same device
//    fingerprint (cpu, cores, isa, runtime version, backend, threads) and
//    with the same measurement settings (backend, threads, warm-up, runs,
//    rounds, seed); otherwise HouseError naming both index files and the
//    target, before anything is written. Measurements of two devices or two
//    settings are never comparable, so they are never mixed.
//  - Measurements, keyed as the profiler keys them (round, probe name): the
//    union of every holder's. A key two holders measured differently (two
//    profiles of the same target both measure the teacher in every round)
//    keeps the value of the holder the table comes from, then of the first
//    holder, and the merge says so in a note. Mixing one profile's teacher
//    rows with another's probes stays consistent because every probe carries
//    the profiled teacher's time measured interleaved with it (reference_ms),
//    by which the table builder normalises it.
//  - The table (the target row: settings with the probe plan, completeness
//    and the teacher's figures; and its items): taken whole from one holder,
//    the first whose profile is complete (else the first). A table is the
//    result of one profile, normalised to that profile's teacher: items of
//    two profiles would differ by the device's drift between them, so another
//    holder's differing table is left out, with a note. A note also says how
//    many done alternatives of the merged house the table does not cover
//    (search skips those until the target is profiled again).
// Alternative keys are copied unchanged, so every probe name and table item
// still names its alternatives, and the profiler, which reuses a measurement
// when fingerprint, settings text and (round, probe) match, reuses every
// carried measurement wherever the merged house plans the same probes (a
// re-run merge, or a merge adding nothing to a profiled input).
#pragma once

#include <string>
#include <vector>

namespace bespoke::house {

struct MergeReport {
  size_t latency_targets = 0;      // targets in the merged house's latency tables
  std::vector<std::string> notes;  // what the merge chose for the user (latency rows kept or left out)
};

// Merges the houses `in_dirs` into `out_dir` (created when absent; an existing
// house there takes part like one more input, so a merge can be re-run).
// Refuses, with a HouseError naming the folder and the differing keys, houses
// built from different configs (config::house_differences of their "config"
// meta); refuses a key (alternative or span) present twice with different
// content (status, reason, or file bytes) or two keys sharing a file name
// with different bytes; refuses latency targets of different devices or
// settings (above); checks every input's files first. Then copies the files
// (write_file_atomically) before their rows, so an interrupted merge leaves
// only complete rows and can simply be run again; each latency target is
// written last, in one transaction. The output's meta is the first input's
// without "shard"; its config is also written to <out_dir>/config.toml, as
// house build does.
MergeReport merge_houses(const std::string& out_dir, const std::vector<std::string>& in_dirs);

}  // namespace bespoke::house
