// Internal to optimizer/config: where each key of a config file was written,
// so that a check done after parsing still reports "<file>:<line>: <key>: ...".
#pragma once

#include <map>
#include <string>

namespace bespoke::config::detail {

class ConfigLocations {
 public:
  explicit ConfigLocations(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  // `key` is dotted, array elements indexed: "house.prune_ratios[1]".
  void note(const std::string& key, int line) { lines_[key] = line; }
  // Throws ConfigError "<source>:<line>: <key>: <what>"; an element without a
  // line of its own takes its array's, a key never written takes none.
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  // The same prefix without a key (syntax errors).
  [[noreturn]] void fail_at(int line, const std::string& what) const;

 private:
  std::string source_;
  std::map<std::string, int> lines_;
};

}  // namespace bespoke::config::detail
