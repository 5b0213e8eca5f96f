// Internal to optimizer/config: typed reads of "table.key" settings from a
// parsed toml++ document. Every key of the document must be claimed by one
// read, so that reject_unknown() turns a misspelt key into an error that
// lists the keys its table knows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config_locations.h"
#include "config/optimizer_config.h"

namespace bespoke::config::detail {

class TomlReader {
 public:
  // `locations` receives the line of every key read; it must outlive the reader.
  TomlReader(const toml::table& root, ConfigLocations& locations) : root_(root), locations_(locations) {}

  // Leaves `out` as it is when the key is absent.
  template <typename T>
  void read(const std::string& table, const std::string& key, T& out) {
    if (!claimed_.count(table)) table_order_.push_back(table);
    claimed_[table].push_back(key);
    const toml::node* t = root_.get(table);
    if (t == nullptr || !t->is_table()) return;  // reject_unknown reports a non-table
    const toml::node* node = t->as_table()->get(key);
    if (node == nullptr) return;
    const std::string name = table + "." + key;
    locations_.note(name, line_of(*node));
    assign(*node, name, out);
  }

  // Marks a root entry read by other code ([[targets]], target_config.h):
  // reject_unknown leaves it alone and lists it among the known tables.
  void claim_elsewhere(const std::string& name) {
    if (!claimed_.count(name)) table_order_.push_back(name);
    claimed_[name];
    elsewhere_.push_back(name);
  }

  // Throws ConfigError for a table or key nobody read (or a table that is not one).
  void reject_unknown() const;

 private:
  static int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

  void assign(const toml::node& n, const std::string& key, std::string& out) const;
  void assign(const toml::node& n, const std::string& key, int64_t& out) const;
  void assign(const toml::node& n, const std::string& key, int& out) const;
  void assign(const toml::node& n, const std::string& key, uint64_t& out) const;
  void assign(const toml::node& n, const std::string& key, double& out) const;
  void assign(const toml::node& n, const std::string& key, bool& out) const;
  void assign(const toml::node& n, const std::string& key, CountOrAuto& out) const;
  template <typename T>
  void assign(const toml::node& n, const std::string& key, std::vector<T>& out) const {
    const toml::array* a = n.as_array();
    if (a == nullptr) wrong_type(n, key, "an array");
    std::vector<T> values(a->size());
    for (size_t i = 0; i < a->size(); ++i) {
      const std::string element = key + "[" + std::to_string(i) + "]";
      locations_.note(element, line_of(*a->get(i)));
      assign(*a->get(i), element, values[i]);
    }
    out = std::move(values);
  }
  [[noreturn]] void wrong_type(const toml::node& n, const std::string& key, const std::string& expected) const;

  const toml::table& root_;
  ConfigLocations& locations_;
  std::map<std::string, std::vector<std::string>> claimed_;  // table -> keys, in reading order
  std::vector<std::string> table_order_;                     // tables in reading order
  std::vector<std::string> elsewhere_;                       // claim_elsewhere
};

}  // namespace bespoke::config::detail
