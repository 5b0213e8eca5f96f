// Acceptance of a student on its target device, before it is reported
// (issue #12, "Acceptance on the device"): through the target's DeviceLink
// (the runtime in process, or bespoke-agent on the board),
//  * numerics: `inputs` fixed validation images (the first ones of the
//    validation split) run one at a time on the device give the logits that
//    LibTorch gives for the same graph: max |device - torch| <= tolerance *
//    max(1, max |torch|);
//  * latency: end-to-end median and p90 over the [profile] rounds, no
//    profiling, interleaved round by round with the teacher (side by side,
//    so that a busy machine slows both alike); the median must be within the
//    budget `budget_ms` (the one the report states) and, for a budget_ratio
//    target, also within the ratio of the teacher's median measured in these
//    same rounds: the tighter of the two;
//  * memory: the session's arena + weight bytes as the runtime reports them,
//    within the target's memory budget when it has one.
// The verdict carries the SHA-256 of the exact bytes that were checked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/teacher_data.h"
#include "ir/graph.h"
#include "latency/device_link.h"

namespace bespoke::pipeline {

struct Acceptance {
  std::string sha256;
  int inputs = 0;
  double max_abs_error = 0.0, max_abs_output = 0.0;
  double median_ms = 0.0, p90_ms = 0.0;
  double teacher_ms = 0.0;  // the teacher's median in the same rounds (0: not measured)
  double budget_ms = 0.0;   // the budget the median was held to
  uint64_t arena_bytes = 0, weights_bytes = 0;
  std::string backends;  // what ran it, "onednn 12, xnnpack 2"
  bool numerics_ok = false, latency_ok = false, memory_ok = false;
  bool accepted() const { return numerics_ok && latency_ok && memory_ok; }
  std::string verdict() const;  // "accepted" or what failed, one line
};

// `student` is the graph whose serialization is `bspk`; `teacher_bspk` the
// teacher's (empty: the student is measured alone and held to `budget_ms`).
// Throws latency::LatencyError when the device cannot be reached.
Acceptance accept_on_device(latency::DeviceLink& link, const std::vector<uint8_t>& bspk, const ir::Graph& student,
                            const std::vector<uint8_t>& teacher_bspk, const house::TeacherData& data,
                            const config::TargetConfig& target, double budget_ms, const config::ProfileConfig& profile,
                            double tolerance, int inputs = 8);

// Waits (at most `max_seconds`) until the device runs the teacher at its
// profiled speed again: the teacher alone, a short measurement every second,
// until its median is within 3% of `profiled_teacher_ms`. A CPU that has just
// come out of minutes of fine-tuning on all its cores (the "local" target is
// the workstation itself) runs 10-35% slower for tens of seconds on this VM,
// which would measure the student against a budget made on a rested CPU.
// Returns the last median seen; throws latency::LatencyError like measure().
double settle_device(latency::DeviceLink& link, const std::vector<uint8_t>& teacher_bspk,
                     const config::TargetConfig& target, double profiled_teacher_ms, double max_seconds);

}  // namespace bespoke::pipeline
