// bespoke-opt profile export: the offline bundle of a target for an
// air-gapped device (latency/offline_bundle.h, docs/profile-bundle.md).
//
//   bespoke-opt profile export CONFIG --target NAME DIR
//   (on the device) bespoke-bench --manifest DIR/manifest.json --json > report.json
#include <iostream>
#include <memory>

#include "cli/profile_support.h"
#include "cli/subcommand.h"
#include "latency/offline_bundle.h"

namespace bespoke::cli {

namespace {

struct ExportOptions {
  std::string config, target, dir;
};

int run(const ExportOptions& o) {
  ProfileContext c = open_profile_context(o.config, o.target);
  const latency::Bundle bundle = latency::plan_bundle(c.store, c.config.profile, c.target, c.teacher);
  latency::write_bundle(bundle, o.dir);
  std::cout << "exported " << bundle.models.size() << " measurements (" << bundle.models.size() - 2
            << " probes and the teacher) of target " << c.target.name << " to " << o.dir << "\n"
            << "manifest " << bundle.id << "\n"
            << "on the device: bespoke-bench --manifest " << o.dir << "/manifest.json --json > report.json\n";
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<ExportOptions>();
  command.add_option("config", o->config, "the optimizer config")->required();
  command.add_option("--target", o->target, "the [[targets]] name")->required();
  command.add_option("dir", o->dir, "the folder to write the bundle to")->required();
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"profile export", "write a target's probe models and manifest for bespoke-bench --manifest", configure});

}  // namespace

}  // namespace bespoke::cli
