// The latency of one target device, as stored in the house (schema v2,
// house_store.h), and the prediction of a student's latency from it.
//
// Measured in context (ARCHITECTURE.md section 1, step 3): probe models (the
// teacher with one or several non-overlapping alternatives stitched in) run on
// the device with per-block profiling; each block's median of round medians is
// its cost in context. The teacher is measured whole (end to end, and per unit)
// with the same settings.
//
// Prediction of a student = the teacher's end-to-end time (no profiling;
// its per-run overhead is kept by every student) - the replaced units'
// in-context times + the chosen alternatives' in-context times.
//
// This header is the contract between latency/ (which fills and stores the
// table) and search/ and pipeline/ (which only read it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "house/house_store.h"

namespace bespoke::latency {

// The device as the runtime reports it (agent::Device, or the local C API).
struct Fingerprint {
  std::string cpu;
  int cores = 0;
  std::string isa;
  uint32_t runtime_version = 0;
  std::string backend;  // the backend(s) actually chosen, "onednn 30, xnnpack 2" style
  int threads = 0;
  // One line, for messages and for the refusal of a foreign profile.
  std::string describe() const;
  bool operator==(const Fingerprint& other) const;
};

struct AlternativeLatency {
  double ms = 0.0;                 // in context: its block's median (0 for the identity)
  uint64_t probe_arena_bytes = 0;  // arena of the probe it was measured in
  uint64_t weights_bytes = 0;      // its parameters as stored
};

struct LatencyTable {
  std::string target;
  Fingerprint device;
  double teacher_ms = 0.0;      // end to end, no profiling: median of round medians
  double teacher_drift = 0.0;   // (max - min) / median of the teacher's re-measurements
  std::vector<double> unit_ms;  // teacher unit i (between cuts i and i+1), in context
  uint64_t teacher_arena_bytes = 0, teacher_weights_bytes = 0;
  std::vector<uint64_t> unit_weights_bytes;                // per teacher unit
  std::map<std::string, AlternativeLatency> alternatives;  // by alternative key
};

// One replacement of a student: alternative `key` for teacher span [cut_begin, cut_end].
struct Choice {
  std::string key;
  int cut_begin = 0, cut_end = 0;
};

struct Prediction {
  double ms = 0.0;
  uint64_t memory_bytes = 0;  // arena + weights, an estimate (the device's measurement decides)
};

// Throws LatencyError if a choice's key is not in the table or choices overlap.
Prediction predict(const LatencyTable& table, const std::vector<Choice>& choices);

// The stored table of `target`; throws LatencyError ("target X is not
// profiled: run bespoke-opt profile --target X") when there is none.
LatencyTable load_latency_table(const house::HouseStore& store, const std::string& target);
// The names of the profiled targets.
std::vector<std::string> profiled_targets(const house::HouseStore& store);

}  // namespace bespoke::latency
