// Internal to optimizer/config: what a parsed config must satisfy beyond the
// types toml++ already checked: ranges, known names, existing files. Run by
// parse_optimizer_config after every key was read.
#pragma once

#include <string>

#include "config/config_locations.h"
#include "config/optimizer_config.h"

namespace bespoke::config::detail {

// The names of house::AlternativeKind (optimizer/house/alternative_kind.h;
// a test keeps both lists equal): the config stays independent of the house.
const std::vector<std::string>& alternative_kind_names();

// Makes the relative paths of `config` absolute against `base_dir`
// (teacher.model, house.pretrained, a data.source folder, data.dir, run.out).
void resolve_paths(OptimizerConfig& config, const std::string& base_dir);

// Throws ConfigError (through `where`) for the first setting that is wrong.
void check_config(const OptimizerConfig& config, const ConfigLocations& where, FileChecks files);

}  // namespace bespoke::config::detail
