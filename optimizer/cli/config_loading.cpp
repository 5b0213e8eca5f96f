#include "cli/config_loading.h"

#include <filesystem>

#include "cli/subcommand.h"

namespace bespoke::cli {

config::OptimizerConfig load_config(const std::string& path, const RunOverrides& overrides) {
  config::OptimizerConfig config;
  try {
    config = config::load_optimizer_config(path);
  } catch (const config::ConfigError& e) {
    throw UsageError(e.what());
  }
  if (!overrides.out.empty()) config.run.out = std::filesystem::absolute(overrides.out).lexically_normal().string();
  if (overrides.threads) config.run.threads = *overrides.threads;
  if (overrides.seed) config.run.seed = *overrides.seed;
  return config;
}

const config::TargetConfig& find_target(const config::OptimizerConfig& config, const std::string& config_path,
                                        const std::string& name) {
  std::string names;
  for (const config::TargetConfig& t : config.targets) {
    if (t.name == name) return t;
    names += (names.empty() ? "" : ", ") + t.name;
  }
  throw UsageError(config_path + ": no [[targets]] named '" + name + "' (" +
                   (names.empty() ? std::string("the config has none") : "known: " + names) + ")");
}

}  // namespace bespoke::cli
