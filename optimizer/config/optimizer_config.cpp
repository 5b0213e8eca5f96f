#include "config/optimizer_config.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "config/config_checks.h"
#include "config/config_fields.h"
#include "config/target_config.h"
#include "config/toml_reader.h"

namespace bespoke::config {

namespace fs = std::filesystem;

namespace {

// (table.key, TOML literal) of every setting, in file order.
std::vector<std::pair<std::string, std::string>> settings(const OptimizerConfig& config) {
  std::vector<std::pair<std::string, std::string>> out;
  detail::visit_fields(config, [&](const std::string& table, const std::string& key, const auto& value) {
    out.emplace_back(table + "." + key, detail::toml_value(value));
  });
  return out;
}

// Keys renamed since a config format was published: the old name still reads
// (as the new one); both at once is an error.
void apply_aliases(toml::table& root, const detail::ConfigLocations& where) {
  struct Alias {
    const char *table, *old_key, *key;
  };
  static const Alias kAliases[] = {{"finetune", "accuracy_floor", "metric_floor"}};
  for (const Alias& a : kAliases) {
    toml::table* t = root[a.table].as_table();
    if (t == nullptr || !t->contains(a.old_key)) continue;
    if (t->contains(a.key))
      where.fail_at(static_cast<int>(t->get(a.old_key)->source().begin.line),
                    std::string(a.table) + "." + a.old_key + ": an alias of " + a.table + "." + a.key +
                        ", which is set too (keep one)");
    toml::node* old = t->get(a.old_key);
    toml::node_view<toml::node>(old).visit([&](auto&& value) { t->insert_or_assign(a.key, value); });
    t->erase(a.old_key);
  }
}

}  // namespace

std::string count_or_auto_text(CountOrAuto value) { return value.is_auto() ? "auto" : std::to_string(value.count); }

OptimizerConfig parse_optimizer_config(const std::string& toml_text, const std::string& source,
                                       const std::string& base_dir, FileChecks checks) {
  detail::ConfigLocations where(source);
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    where.fail_at(static_cast<int>(e.source().begin.line), std::string(e.description()));
  }
  apply_aliases(root, where);
  OptimizerConfig config;
  detail::TomlReader reader(root, where);
  detail::visit_fields(
      config, [&](const std::string& table, const std::string& key, auto& value) { reader.read(table, key, value); });
  reader.claim_elsewhere(detail::kTargetsTable);
  reader.reject_unknown();
  detail::resolve_paths(config, base_dir);
  detail::check_config(config, where, checks);
  config.targets = detail::read_targets(root, where, base_dir);
  config.source = source;
  return config;
}

OptimizerConfig load_optimizer_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  return parse_optimizer_config(text.str(), path, base.string());
}

std::string to_toml(const OptimizerConfig& config) {
  std::ostringstream out;
  out << "# bespoke-opt configuration (effective: absolute paths, every setting)\n";
  std::string table;
  detail::visit_fields(config, [&](const std::string& t, const std::string& key, const auto& value) {
    if (t != table) out << "\n[" << t << "]\n";
    table = t;
    out << key << " = " << detail::toml_value(value) << "\n";
  });
  out << detail::targets_toml(config.targets);
  return out.str();
}

void save_optimizer_config(const OptimizerConfig& config, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << to_toml(config);
    out.close();
    if (!out) throw ConfigError(path + ": cannot write the config file");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw ConfigError(path + ": cannot write the config file (rename failed)");
  }
}

std::vector<std::string> house_differences(const OptimizerConfig& built, const OptimizerConfig& now) {
  // Where the work runs and how memory is used, not what is computed; and the
  // steps after the house (profile, search, fine-tuning, targets).
  // The task head's keys change what the output means, not the house's
  // label-free content.
  static const std::set<std::string> kIgnored = {
      "run.threads",          "run.out",
      "run.log_seconds",      "distill.feature_cache_mb",
      "teacher.task",         "teacher.charset",
      "teacher.blank",        "teacher.use_space_char",
      "teacher.db_threshold", "teacher.db_box_threshold",
      "teacher.db_unclip_ratio", "data.labels"};
  const auto before = settings(built);
  const auto after = settings(now);
  std::vector<std::string> lines;
  for (size_t i = 0; i < before.size(); ++i) {
    const std::string table = before[i].first.substr(0, before[i].first.find('.'));
    const bool after_the_house = table == "profile" || table == "search" || table == "finetune";
    if (after_the_house || kIgnored.count(before[i].first) || before[i].second == after[i].second) continue;
    lines.push_back(before[i].first + ": " + before[i].second + " -> " + after[i].second);
  }
  return lines;
}

}  // namespace bespoke::config
