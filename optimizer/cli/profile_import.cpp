// bespoke-opt profile import: stores the report bespoke-bench --manifest
// made on an offline device, checked against the manifest the house would
// export now (latency/offline_bundle.h).
//
//   bespoke-opt profile import CONFIG report.json [--force]
#include <iostream>
#include <memory>

#include "cli/profile_support.h"
#include "cli/subcommand.h"
#include "latency/offline_bundle.h"

namespace bespoke::cli {

namespace {

struct ImportOptions {
  std::string config, report;
  bool force = false;
};

int run(const ImportOptions& o) {
  const std::string target = latency::report_target(o.report);
  ProfileContext c = open_profile_context(o.config, target);
  latency::ProfileOptions options;
  options.force = o.force;
  latency::import_report(c.store, c.config.profile, c.target, c.teacher, o.report, options, std::cout);
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<ImportOptions>();
  command.add_option("config", o->config, "the optimizer config")->required();
  command.add_option("report", o->report, "the report.json bespoke-bench --manifest wrote")->required();
  command.add_flag("--force", o->force, "replace a profile of this target made on another device");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"profile import", "store a bespoke-bench --manifest report as a target's profile", configure});

}  // namespace

}  // namespace bespoke::cli
