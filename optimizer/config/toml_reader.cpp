#include "config/toml_reader.h"

#include <algorithm>

namespace bespoke::config::detail {

namespace {

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

void TomlReader::reject_unknown() const {
  for (const auto& [name, node] : root_) {
    const std::string table(name.str());
    const int line = static_cast<int>(name.source().begin.line);
    if (std::find(elsewhere_.begin(), elsewhere_.end(), table) != elsewhere_.end()) continue;
    const auto claimed = claimed_.find(table);
    if (claimed == claimed_.end()) {
      locations_.note(table, line);
      locations_.fail(table, "unknown table (known: " + joined(table_order_) + ")");
    }
    if (!node.is_table()) {
      locations_.note(table, line);
      locations_.fail(table, "expected a table, got " + type_name(node));
    }
    for (const auto& [key_name, value] : *node.as_table()) {
      const std::string key(key_name.str());
      const std::vector<std::string>& known = claimed->second;
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      locations_.note(table + "." + key, static_cast<int>(key_name.source().begin.line));
      locations_.fail(table + "." + key, "unknown key (known in [" + table + "]: " + joined(known) + ")");
    }
  }
}

void TomlReader::wrong_type(const toml::node& n, const std::string& key, const std::string& expected) const {
  locations_.fail(key, "expected " + expected + ", got " + type_name(n));
}

void TomlReader::assign(const toml::node& n, const std::string& key, std::string& out) const {
  if (!n.is_string()) wrong_type(n, key, "a string");
  out = n.as_string()->get();
}

void TomlReader::assign(const toml::node& n, const std::string& key, int64_t& out) const {
  if (!n.is_integer()) wrong_type(n, key, "an integer");
  out = n.as_integer()->get();
}

void TomlReader::assign(const toml::node& n, const std::string& key, int& out) const {
  int64_t v = 0;
  assign(n, key, v);
  if (v < INT32_MIN || v > INT32_MAX) locations_.fail(key, std::to_string(v) + " is out of range");
  out = static_cast<int>(v);
}

void TomlReader::assign(const toml::node& n, const std::string& key, uint64_t& out) const {
  int64_t v = 0;
  assign(n, key, v);
  if (v < 0) locations_.fail(key, std::to_string(v) + " is negative");
  out = static_cast<uint64_t>(v);
}

void TomlReader::assign(const toml::node& n, const std::string& key, double& out) const {
  if (n.is_integer()) {
    out = static_cast<double>(n.as_integer()->get());
  } else if (n.is_floating_point()) {
    out = n.as_floating_point()->get();
  } else {
    wrong_type(n, key, "a number");
  }
}

void TomlReader::assign(const toml::node& n, const std::string& key, bool& out) const {
  if (!n.is_boolean()) wrong_type(n, key, "true or false");
  out = n.as_boolean()->get();
}

// "auto" or an integer >= 1; 0 is not accepted for "auto" (it reads as a
// mistake, and to_toml writes "auto").
void TomlReader::assign(const toml::node& n, const std::string& key, CountOrAuto& out) const {
  const std::string what = " is neither \"auto\" nor a count >= 1";
  if (n.is_string()) {
    const std::string text = n.as_string()->get();
    if (text != "auto") locations_.fail(key, "\"" + text + "\"" + what);
    out = CountOrAuto();
  } else if (n.is_integer()) {
    const int64_t v = n.as_integer()->get();
    if (v < 1) locations_.fail(key, std::to_string(v) + what);
    out = CountOrAuto(v);
  } else {
    wrong_type(n, key, "\"auto\" or a count >= 1");
  }
}

}  // namespace bespoke::config::detail
