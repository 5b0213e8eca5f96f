// bespoke-opt profile: the latency of every alternative of a config's house
// measured in context on one target (latency/profiler.h), locally or through
// bespoke-agent as the target's device says; resumable; then, with --check K,
// K random students predicted from the table and measured end to end
// (latency/prediction_check.h).
//
//   bespoke-opt profile CONFIG --target NAME [--check K] [--seed S] [--json] [--force] [--fresh]
//
// --json prints {"target", "device", "teacher_ms", "teacher_drift", "probes",
// "measured", "reused", "seconds", "students": [{"keys", "predicted_ms",
// "measured_ms", "error_percent"}], "median_error_percent",
// "worst_error_percent", "within_10_percent"} on stdout; progress goes to
// stderr then (stdout otherwise).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/profile_support.h"
#include "cli/subcommand.h"
#include "latency/device_link.h"
#include "latency/prediction_check.h"
#include "latency/profiler.h"

namespace bespoke::cli {

namespace {

struct ProfileOptions {
  std::string config;
  std::string target;
  size_t check = 0;
  uint64_t seed = 1;
  bool json = false;
  bool force = false;
  bool fresh = false;
};

int run(const ProfileOptions& o) {
  if (o.config.empty()) throw UsageError("CONFIG is required (bespoke-opt profile CONFIG --target NAME)");
  if (o.target.empty()) throw UsageError("--target is required");
  ProfileContext c = open_profile_context(o.config, o.target);
  std::ostream& progress = o.json ? std::cerr : std::cout;
  std::unique_ptr<latency::DeviceLink> link = latency::connect(c.target);
  latency::ProfileOptions options;
  options.force = o.force;
  options.fresh = o.fresh;
  const latency::ProfileResult result =
      latency::profile_target(c.store, c.config.profile, c.target, c.teacher, *link, options, progress);
  nlohmann::json report = {{"target", c.target.name},
                           {"device", result.table.device.describe()},
                           {"teacher_ms", result.table.teacher_ms},
                           {"teacher_drift", result.table.teacher_drift},
                           {"probes", result.probes},
                           {"alternatives", result.table.alternatives.size()},
                           {"measured", result.measured},
                           {"reused", result.reused},
                           {"seconds", result.seconds},
                           {"students", nlohmann::json::array()}};
  if (o.check > 0) {
    const latency::PredictionCheck check =
        latency::check_prediction(c.store, c.config.profile, c.target, c.teacher, *link, o.check, o.seed, progress);
    for (const latency::StudentPrediction& s : check.students)
      report["students"].push_back({{"keys", s.keys},
                                    {"predicted_ms", s.predicted_ms},
                                    {"measured_ms", s.measured_ms},
                                    {"error_percent", s.error_percent},
                                    {"drift_corrected_error_percent", s.drift_corrected_error_percent}});
    report["median_error_percent"] = check.median_abs_error_percent;
    report["worst_error_percent"] = check.worst_abs_error_percent;
    report["within_10_percent"] = check.within_10_percent;
    report["check_teacher_ms"] = check.teacher_ms;
    report["check_teacher_ratio"] = check.teacher_ratio;
    report["drift_corrected_median_error_percent"] = check.drift_corrected_median_abs_error_percent;
    report["drift_corrected_worst_error_percent"] = check.drift_corrected_worst_abs_error_percent;
    report["drift_corrected_within_10_percent"] = check.drift_corrected_within_10_percent;
  }
  if (o.json) std::cout << report.dump(2) << "\n";
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<ProfileOptions>();
  command.add_option("config", o->config, "the optimizer config (its [[targets]], [profile] and house run.out)");
  command.add_option("--target", o->target, "the [[targets]] name to profile");
  command.add_option("--check", o->check, "then predict and measure K random students end to end")
      ->check(CLI::Range(0, 1000));
  command.add_option("--seed", o->seed, "seed of the --check students (default 1)");
  command.add_flag("--json", o->json, "print the result as JSON (progress on stderr)");
  command.add_flag("--force", o->force, "replace a profile of this target made on another device");
  command.add_flag("--fresh", o->fresh, "measure everything again (default: resume, keeping what is stored)");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"profile", "measure the house's alternatives in context on a target device", configure});

}  // namespace

}  // namespace bespoke::cli
