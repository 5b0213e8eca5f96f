#include "cli/profile_support.h"

#include <iostream>

#include "cli/config_loading.h"
#include "cli/subcommand.h"
#include "cli/teacher_model.h"

namespace bespoke::cli {

ProfileContext open_profile_context(const std::string& config_path, const std::string& target_name) {
  config::OptimizerConfig config = config::load_optimizer_config(config_path);
  const config::TargetConfig* target = &find_target(config, config_path, target_name);
  house::HouseStore store = house::HouseStore::open(config.run.out, false);
  // The probes are stitched into this config's teacher, which should be the
  // house's: a difference is said (a moved checkout changes only paths).
  if (const auto built = store.meta("config")) {
    const config::OptimizerConfig house_config = config::parse_optimizer_config(
        *built, store.index_path() + " (meta config)", store.dir(), config::FileChecks::kNone);
    const std::vector<std::string> differences = config::house_differences(house_config, config);
    for (const std::string& d : differences)
      std::cerr << "warning: " << config_path << ": differs from the house's build config: " << d << "\n";
  }
  config::TargetConfig chosen = *target;
  ir::Graph teacher = load_teacher(config.teacher);
  return ProfileContext{std::move(config), std::move(store), std::move(chosen), std::move(teacher)};
}

}  // namespace bespoke::cli
