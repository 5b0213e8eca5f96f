// The prediction check (`bespoke-opt profile --check K`): how well a
// target's latency table predicts whole students on that device.
//
// K random students that fit the teacher are drawn (seeded): each takes a
// random number (1 to 4) of the house's done alternatives, visited in a
// random order and kept when they overlap none already taken; a student
// drawn twice is drawn again (up to a bound). Every student is stitched
// (house/student.h), and the K students and the teacher are measured end to
// end without profiling, interleaved in one measurement ([profile] warm-up,
// runs, rounds; median of round medians). The error of a student is
// 100 * (predicted - measured) / measured; the summary gives the median and
// worst absolute error and how many are within 10%.
//
// teacher_ratio (the teacher now / the teacher in the table) tells whether
// the device was slower or faster than when profiled: a large error with a
// ratio far from 1 is drift, not a bad table; the drift-corrected figures
// scale every prediction by it.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"
#include "latency/device_link.h"
#include "latency/latency_table.h"

namespace bespoke::latency {

struct StudentPrediction {
  std::vector<std::string> keys;
  double predicted_ms = 0.0, measured_ms = 0.0;
  double error_percent = 0.0;  // signed
  // The same with the prediction scaled by teacher_ratio (the device's speed
  // now against when it was profiled): the table's error without the drift.
  double drift_corrected_error_percent = 0.0;
};

struct PredictionCheck {
  std::string target;
  std::vector<StudentPrediction> students;
  double median_abs_error_percent = 0.0, worst_abs_error_percent = 0.0;
  size_t within_10_percent = 0;
  double drift_corrected_median_abs_error_percent = 0.0, drift_corrected_worst_abs_error_percent = 0.0;
  size_t drift_corrected_within_10_percent = 0;
  double teacher_ms = 0.0;     // measured now, with the students
  double teacher_ratio = 0.0;  // teacher_ms / the table's teacher_ms
};

// Random students of the house (as choices for predict), reproducible from `seed`.
std::vector<std::vector<Choice>> random_students(const std::vector<house::AlternativeRecord>& alternatives,
                                                 size_t count, uint64_t seed);

// Runs the check for a profiled `target` (load_latency_table throws when it
// is not). Throws LatencyError or HouseError.
PredictionCheck check_prediction(const house::HouseStore& store, const config::ProfileConfig& profile,
                                 const config::TargetConfig& target, const ir::Graph& teacher, DeviceLink& link,
                                 size_t count, uint64_t seed, std::ostream& progress);

}  // namespace bespoke::latency
