// What the `bespoke-opt profile` commands share: the config, its house
// (run.out, as `house build` uses it), the named target and the teacher.
#pragma once

#include <string>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"

namespace bespoke::cli {

struct ProfileContext {
  config::OptimizerConfig config;
  house::HouseStore store;
  config::TargetConfig target;
  ir::Graph teacher;
};

// Throws UsageError for a target the config does not have (listing those it
// has), HouseError for a missing house, ConfigError for a bad config.
ProfileContext open_profile_context(const std::string& config_path, const std::string& target_name);

}  // namespace bespoke::cli
