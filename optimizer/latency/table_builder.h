// From a target's stored measurements to its latency table (latency_table.h):
// shared by the live profile (profiler.h) and the offline import
// (offline_bundle.h), so both give the same table from the same numbers.
//
//   teacher_ms       median over rounds of the teacher's end-to-end round
//                    medians (measured without profiling)
//   teacher_drift    (max - min) / median of those round medians: how much
//                    the device's speed moved during the profile
//   unit_ms[u]       median over rounds of unit u's block in the profiled teacher
//   alternative ms   median over rounds of its block in its probe, plus its
//                    share of the probe's context effect: the probe's
//                    end-to-end time (profiled) minus what its blocks predict
//                    (the profiled teacher's end-to-end time - replaced units
//                    + alternatives' blocks), shared among the probe's
//                    alternatives in proportion to |replaced units - own
//                    block|, so a student of exactly one probe's alternatives
//                    is predicted as measured; never below 0. The identity
//                    costs 0.
// Normalisation: each probe was measured interleaved with the profiled
// teacher (its reference_ms); its times are scaled by the profiled teacher's
// median / that reference, which cancels the device's slow drift (shared
// machines, thermal throttling). Finally every unit and alternative time is
// scaled by teacher_ms / the profiled teacher's median, so that predict()'s
// sums are in plain (unprofiled) milliseconds.
// Sizes: the probe's arena (the largest arena a student with it needs, an
// estimate), the alternative's parameters as float32, each unit's parameters.
//
// Throws LatencyError naming the probe or block when a measurement is missing
// (an incomplete profile) or a probe's profile has no block for a key.
#pragma once

#include <string>
#include <vector>

#include "agent/protocol.h"
#include "latency/latency_store.h"
#include "latency/latency_table.h"
#include "latency/probe_plan.h"

namespace bespoke::latency {

// The settings a profile measures with; settings_text (with the probe plan)
// is what a resumed profile must match.
struct MeasureSettings {
  std::string backend = "auto";
  int threads = 1;
  int warmup = 5, runs = 20, rounds = 5;
  uint32_t seed = 0;
};
std::string settings_text(const MeasureSettings& settings, const std::vector<Probe>& probes);

LatencyTable build_table(const std::string& target, const Fingerprint& device, const ProbeHost& host,
                         const std::vector<house::AlternativeRecord>& alternatives, const std::vector<Probe>& probes,
                         int rounds, const std::vector<ProbeMeasurement>& measurements);

// Round `round_in_reply` of a device's measurement of `probe`, stored as round `round`.
ProbeMeasurement probe_measurement(const agent::ModelMeasurement& m, size_t round_in_reply, int round,
                                   const std::string& probe);

// "xnnpack 20, reference 2": the backends a model ran on, most operators first.
std::string backends_text(const std::vector<agent::BackendUse>& backends);

// The fingerprint of a device running the teacher with `settings`: its
// description, and the backend requested and actually chosen ("auto ->
// xnnpack 20, reference 2") from the teacher's measurement.
Fingerprint fingerprint_of(const agent::Device& device, const MeasureSettings& settings,
                           const std::vector<agent::BackendUse>& teacher_backends);

// The block of `key` in a probe's profile: named `key`, or "<unit>/<key>"
// when stitching had to prefix it; nullptr when absent.
const BlockTime* find_block(const std::vector<BlockTime>& blocks, const std::string& key);

}  // namespace bespoke::latency
