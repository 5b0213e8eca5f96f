// What every command that reads an optimizer config shares: loading it
// (a mistake in the file is a usage error, exit 2), the command line's
// overrides of [run], and finding a [[targets]] entry by name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/optimizer_config.h"

namespace bespoke::cli {

struct RunOverrides {
  std::string out;               // --out (made absolute)
  std::optional<int> threads;    // --threads
  std::optional<uint64_t> seed;  // --seed
};

// Throws UsageError with the config's one-line message.
config::OptimizerConfig load_config(const std::string& path, const RunOverrides& overrides = {});

// Throws UsageError naming the known targets when `name` is not one of them.
const config::TargetConfig& find_target(const config::OptimizerConfig& config, const std::string& config_path,
                                        const std::string& name);

}  // namespace bespoke::cli
