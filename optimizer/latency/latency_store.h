// The per-target latency tables in the house index (schema v2, see
// house/house_store.cpp kMigrations): what latency/ writes while profiling
// and what load_latency_table (latency_table.h) reads.
//
//   latency_targets       one row per target: fingerprint, settings, and the
//                         table's figures once `complete`
//   latency_measurements  one row per (target, round, probe) measured: an
//                         interrupted profile resumes from these, never
//                         measuring a stored (round, probe) again
//   latency_items         the finished table: "unit:<i>" and alternative keys
//
// A probe is named by its alternatives' keys joined with '+' (probe_plan.h);
// the teacher measured whole is kTeacherEndToEnd (no profiling) and
// kTeacherProfiled (per-unit profile). Every write is one transaction, so a
// SIGKILL leaves each row whole or absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "house/house_store.h"
#include "latency/latency_table.h"

namespace bespoke::latency {

inline constexpr const char* kTeacherEndToEnd = "teacher";
inline constexpr const char* kTeacherProfiled = "teacher/profiled";

// One entry of a probe's per-block profile: its round median.
struct BlockTime {
  uint32_t id = 0;
  std::string name;
  double ms = 0.0;
};

// One (round, probe) measured on the device.
struct ProbeMeasurement {
  int round = 0;
  std::string probe;
  double end_to_end_ms = 0.0;  // the round's median run
  // The profiled teacher's round median, measured interleaved with this
  // probe (same request): how fast the device was just then.
  double reference_ms = 0.0;
  uint64_t arena_bytes = 0, weights_bytes = 0;
  std::string backends;  // "xnnpack 20, reference 2"
  std::vector<BlockTime> blocks;
};

// What a target row says before the table is complete.
struct TargetRecord {
  std::string name;
  Fingerprint device;
  std::string settings;  // the measurement settings and the probe plan, one text
  bool complete = false;
};

class LatencyStore {
 public:
  explicit LatencyStore(house::HouseStore& store) : store_(store) {}

  std::optional<TargetRecord> target(const std::string& name) const;
  // Starts `record.name` afresh: its measurements and items are deleted and
  // the row is written with complete = false (one transaction).
  void start_target(const TargetRecord& record);

  void put_measurement(const std::string& target, const ProbeMeasurement& m);
  std::vector<ProbeMeasurement> measurements(const std::string& target) const;
  bool has_measurement(const std::string& target, int round, const std::string& probe) const;

  // Writes the finished table (items and figures) and marks the target
  // complete, in one transaction.
  void put_table(const LatencyTable& table);

 private:
  house::HouseStore& store_;
};

}  // namespace bespoke::latency
