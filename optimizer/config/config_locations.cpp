#include "config/config_locations.h"

#include "config/optimizer_config.h"

namespace bespoke::config::detail {

void ConfigLocations::fail(const std::string& key, const std::string& what) const {
  auto found = lines_.find(key);
  if (found == lines_.end()) {
    if (const size_t bracket = key.find('['); bracket != std::string::npos) found = lines_.find(key.substr(0, bracket));
  }
  const std::string where = source_.empty() ? "<config>" : source_;
  const std::string line = found != lines_.end() && found->second > 0 ? ":" + std::to_string(found->second) : "";
  throw ConfigError(where + line + ": " + key + ": " + what);
}

void ConfigLocations::fail_at(int line, const std::string& what) const {
  const std::string where = source_.empty() ? "<config>" : source_;
  throw ConfigError(where + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
}

}  // namespace bespoke::config::detail
