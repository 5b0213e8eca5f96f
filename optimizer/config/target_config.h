// Internal to optimizer/config: the [[targets]] array of tables (TargetConfig
// in optimizer_config.h). An array, not a table, so it is read and written
// here rather than through visit_fields:
//   * every key of targets[i] is typed and range-checked, a mistake is one
//     ConfigError "<file>:<line>: targets[i].key: what";
//   * unknown keys are errors listing the known ones;
//   * name matches [A-Za-z0-9_.-]+ and is unique; device is local, agent or
//     offline; an agent needs address ("host:port") and token_file (resolved
//     against the config's folder; read only when the agent is connected);
//     exactly one of budget_ms / budget_ratio is > 0, budget_ratio in (0, 1];
//     backend is auto, reference, xnnpack or onednn; threads in 1..1024.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config_locations.h"
#include "config/optimizer_config.h"

namespace bespoke::config::detail {

inline constexpr const char* kTargetsTable = "targets";

// The [[targets]] of `root` (empty when absent), paths resolved against
// `base_dir`, checked. Throws ConfigError through `where`.
std::vector<TargetConfig> read_targets(const toml::table& root, ConfigLocations& where, const std::string& base_dir);

// The [[targets]] blocks as to_toml writes them (every key; "" for none).
std::string targets_toml(const std::vector<TargetConfig>& targets);

}  // namespace bespoke::config::detail
