// bespoke-opt house merge: joins the houses of a sharded build into one
// (house/house_merge.h: same config required, identical keys only; latency
// tables carried, never across devices). What the merge chose for the user
// (latency rows kept or left out) is printed as notes on stderr.
//
//   bespoke-opt house merge OUT IN...
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/subcommand.h"
#include "house/house_merge.h"
#include "house/house_store.h"

namespace bespoke::cli {

namespace {

struct MergeOptions {
  std::string out;
  std::vector<std::string> inputs;
};

int run(const MergeOptions& options) {
  const house::MergeReport report = house::merge_houses(options.out, options.inputs);
  for (const std::string& note : report.notes) std::cerr << "note: " << note << "\n";
  const house::HouseStore merged = house::HouseStore::open(options.out, false);
  std::cout << "merged " << options.inputs.size() << " houses into " << merged.dir() << ": " << merged.spans().size()
            << " spans, " << merged.alternatives().size() << " alternatives";
  // Only houses that were profiled say so: a build's shards print what they always did.
  if (report.latency_targets > 0) std::cout << ", latency tables of " << report.latency_targets << " target(s)";
  std::cout << "\n";
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto options = std::make_shared<MergeOptions>();
  command.add_option("out", options->out, "the merged house folder (created; an existing house there is kept)")
      ->required();
  command.add_option("inputs", options->inputs, "the houses to merge (shard folders)")->required();
  return [options] { return run(*options); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"house merge", "join the houses of a sharded build into one", configure});

}  // namespace

}  // namespace bespoke::cli
