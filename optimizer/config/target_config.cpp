#include "config/target_config.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "toml_text/toml_values.h"

namespace bespoke::config::detail {

namespace fs = std::filesystem;
using toml_text::toml_float;
using toml_text::toml_string;

namespace {

const std::vector<std::string>& target_keys() {
  static const std::vector<std::string> keys = {"name",    "device",    "address",      "token_file",         "backend",
                                                "threads", "budget_ms", "budget_ratio", "memory_budget_bytes"};
  return keys;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// Typed reads of one targets[i] table; each notes the key's line first.
class TargetReader {
 public:
  TargetReader(const toml::table& table, std::string prefix, ConfigLocations& where)
      : table_(table), prefix_(std::move(prefix)), where_(where) {}

  const toml::node* find(const std::string& key) {
    const toml::node* n = table_.get(key);
    if (n != nullptr) where_.note(prefix_ + key, line_of(*n));
    return n;
  }
  void read(const std::string& key, std::string& out) {
    if (const toml::node* n = find(key)) {
      if (!n->is_string()) wrong(key, "a string");
      out = n->as_string()->get();
    }
  }
  void read(const std::string& key, int64_t& out) {
    if (const toml::node* n = find(key)) {
      if (!n->is_integer()) wrong(key, "an integer");
      out = n->as_integer()->get();
    }
  }
  void read(const std::string& key, int& out) {
    int64_t v = out;
    read(key, v);
    if (v < INT32_MIN || v > INT32_MAX) fail(key, std::to_string(v) + " is out of range");
    out = static_cast<int>(v);
  }
  void read(const std::string& key, double& out) {
    if (const toml::node* n = find(key)) {
      if (n->is_integer()) {
        out = static_cast<double>(n->as_integer()->get());
      } else if (n->is_floating_point()) {
        out = n->as_floating_point()->get();
      } else {
        wrong(key, "a number");
      }
    }
  }
  void reject_unknown() {
    for (const auto& [name, value] : table_) {
      const std::string key(name.str());
      if (std::find(target_keys().begin(), target_keys().end(), key) != target_keys().end()) continue;
      where_.note(prefix_ + key, static_cast<int>(name.source().begin.line));
      fail(key, "unknown key (known in [[targets]]: " + joined(target_keys()) + ")");
    }
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const { where_.fail(prefix_ + key, what); }

 private:
  [[noreturn]] void wrong(const std::string& key, const std::string& expected) const {
    fail(key, "expected " + expected + ", got another type");
  }
  const toml::table& table_;
  std::string prefix_;
  ConfigLocations& where_;
};

bool valid_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

// "host:port" with a port in 1..65535 (an IPv6 host in brackets: "[::1]:7070").
bool valid_address(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  const std::string port = address.substr(colon + 1);
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int p = std::stoi(port);
  return p >= 1 && p <= 65535;
}

// The token file need not exist yet (it is read when the agent is
// connected, latency/device_link.h): a config names the boards it may reach.
void check_target(TargetConfig& t, TargetReader& r, const std::string& base_dir, std::set<std::string>& names) {
  if (t.name.empty()) r.fail("name", "missing (a name for this target, e.g. \"a53\")");
  if (!valid_name(t.name)) r.fail("name", "\"" + t.name + "\" is not made of A-Z a-z 0-9 _ . -");
  if (!names.insert(t.name).second) r.fail("name", "\"" + t.name + "\" names another target too");
  static const std::vector<std::string> devices = {"local", "agent", "offline"};
  if (std::find(devices.begin(), devices.end(), t.device) == devices.end())
    r.fail("device", "unknown value \"" + t.device + "\" (known: " + joined(devices) + ")");
  if (t.device == "agent") {
    if (t.address.empty()) r.fail("address", "missing (device = \"agent\" needs \"host:port\")");
    if (t.token_file.empty()) r.fail("token_file", "missing (device = \"agent\" needs the agent's token file)");
  }
  if (!t.address.empty() && !valid_address(t.address))
    r.fail("address", "\"" + t.address + "\" is not host:port with a port in 1..65535");
  if (!t.token_file.empty()) {
    const fs::path p(t.token_file);
    t.token_file = (p.is_absolute() ? p : fs::absolute(base_dir.empty() ? fs::path(".") : fs::path(base_dir)) / p)
                       .lexically_normal()
                       .string();
  }
  static const std::vector<std::string> backends = {"auto", "reference", "xnnpack", "onednn"};
  if (std::find(backends.begin(), backends.end(), t.backend) == backends.end())
    r.fail("backend", "unknown value \"" + t.backend + "\" (known: " + joined(backends) + ")");
  if (t.threads < 1 || t.threads > 1024) r.fail("threads", std::to_string(t.threads) + " is not in 1..1024");
  if (!std::isfinite(t.budget_ms) || t.budget_ms < 0)
    r.fail("budget_ms", toml_float(t.budget_ms) + " is negative or not finite");
  if (!std::isfinite(t.budget_ratio) || t.budget_ratio < 0 || t.budget_ratio > 1)
    r.fail("budget_ratio", toml_float(t.budget_ratio) + " is not in (0, 1]");
  if ((t.budget_ms > 0) == (t.budget_ratio > 0))
    r.fail(t.budget_ms > 0 ? "budget_ratio" : "budget_ms",
           "exactly one of budget_ms and budget_ratio must be set (> 0)");
  if (t.memory_budget_bytes < 0) r.fail("memory_budget_bytes", std::to_string(t.memory_budget_bytes) + " is negative");
}

}  // namespace

std::vector<TargetConfig> read_targets(const toml::table& root, ConfigLocations& where, const std::string& base_dir) {
  std::vector<TargetConfig> targets;
  const toml::node* node = root.get(kTargetsTable);
  if (node == nullptr) return targets;
  where.note(kTargetsTable, line_of(*node));
  const toml::array* list = node->as_array();
  if (list == nullptr || !list->is_array_of_tables())
    where.fail(kTargetsTable, "expected an array of tables ([[targets]] blocks)");
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::table& table = *list->get(i)->as_table();
    const std::string prefix = std::string(kTargetsTable) + "[" + std::to_string(i) + "].";
    where.note(prefix.substr(0, prefix.size() - 1), line_of(table));
    TargetReader r(table, prefix, where);
    r.reject_unknown();
    TargetConfig t;
    r.read("name", t.name);
    r.read("device", t.device);
    r.read("address", t.address);
    r.read("token_file", t.token_file);
    r.read("backend", t.backend);
    r.read("threads", t.threads);
    r.read("budget_ms", t.budget_ms);
    r.read("budget_ratio", t.budget_ratio);
    r.read("memory_budget_bytes", t.memory_budget_bytes);
    // A key never written has no line of its own: report it at its table's.
    for (const std::string& key : target_keys())
      if (table.get(key) == nullptr) where.note(prefix + key, line_of(table));
    check_target(t, r, base_dir, names);
    targets.push_back(std::move(t));
  }
  return targets;
}

std::string targets_toml(const std::vector<TargetConfig>& targets) {
  std::string out;
  for (const TargetConfig& t : targets) {
    out += "\n[[targets]]\n";
    out += "name = " + toml_string(t.name) + "\n";
    out += "device = " + toml_string(t.device) + "\n";
    out += "address = " + toml_string(t.address) + "\n";
    out += "token_file = " + toml_string(t.token_file) + "\n";
    out += "backend = " + toml_string(t.backend) + "\n";
    out += "threads = " + std::to_string(t.threads) + "\n";
    out += "budget_ms = " + toml_float(t.budget_ms) + "\n";
    out += "budget_ratio = " + toml_float(t.budget_ratio) + "\n";
    out += "memory_budget_bytes = " + std::to_string(t.memory_budget_bytes) + "\n";
  }
  return out;
}

}  // namespace bespoke::config::detail
