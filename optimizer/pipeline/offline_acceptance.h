// Acceptance on the device for an "offline" target (no link; issue #12,
// docs/profile-bundle.md "The acceptance bundle"): the very same
// accept_on_device() as a local or agent target, run twice against two
// DeviceLinks that stand in for the device:
//
//  1. `bespoke-opt run`: against a recording link, which keeps every
//     RunRequest and MeasureRequest it is asked and answers placeholders of
//     the right shape (that verdict is thrown away). The requests become the
//     acceptance bundle in `dir` (<out>/students/<target>/acceptance/):
//     manifest.json (format kAcceptanceManifestFormat, version 1, id = SHA-256
//     of everything else in it), student.bspk and teacher.bspk (bytes and
//     SHA-256 in the manifest), one .npy per run input (tensor_io). The
//     student is pending.
//  2. On the device: `bespoke-bench --manifest manifest.json --json > report.json`
//     (runtime/tools/bench_manifest.h) answers every request.
//  3. `bespoke-opt run` again with `dir`/report.json present: the requests are
//     recorded again (they depend only on the student, the teacher, the
//     validation images and the settings), and the report must answer exactly
//     this bundle: its manifest_id, every run in order with outputs whose
//     digests match their values, every measurement with the bundle's models
//     (by SHA-256) and rounds. Then accept_on_device() runs against a
//     replaying link that answers from the report and checks that each
//     request is the recorded one; its verdict is the device's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/protocol.h"
#include "config/optimizer_config.h"
#include "house/teacher_data.h"
#include "ir/graph.h"
#include "pipeline/device_acceptance.h"

namespace bespoke::pipeline {

inline constexpr const char* kAcceptanceManifestFormat = "bespoke-acceptance-manifest";
inline constexpr const char* kAcceptanceReportFormat = "bespoke-acceptance-report";

struct OfflineAcceptance {
  std::string manifest_path;  // dir/manifest.json
  std::string report_path;    // dir/report.json, where the device's report is expected
  bool pending = true;        // no report yet: the bundle was (re)written
  Acceptance acceptance;      // when not pending: the verdict on the device's answers
  agent::Device device;       // when not pending: the fingerprint the report gives
};

// The arguments of accept_on_device() (teacher_bspk non-empty), with the
// target's acceptance folder instead of a link. Throws latency::LatencyError
// with one line naming the report (and field) when report.json exists but
// does not answer this bundle, or a file cannot be written.
OfflineAcceptance accept_offline(const std::string& dir, const std::vector<uint8_t>& bspk, const ir::Graph& student,
                                 const std::vector<uint8_t>& teacher_bspk, const house::TeacherData& data,
                                 const config::TargetConfig& target, double budget_ms,
                                 const config::ProfileConfig& profile, double tolerance);

// "cpu, N cores, isa, runtime V": how the report names the device that answered.
std::string describe(const agent::Device& device);

}  // namespace bespoke::pipeline
