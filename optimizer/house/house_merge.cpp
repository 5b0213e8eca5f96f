#include "house/house_merge.h"

#include <filesystem>
#include <map>
#include <optional>

#include "config/optimizer_config.h"
#include "house/house_store.h"

namespace bespoke::house {

namespace fs = std::filesystem;

namespace {

// One row of any input, with where it comes from.
struct Item {
  const HouseStore* store = nullptr;
  std::string file;     // "" for a failed alternative
  std::string summary;  // status and reason: must agree between copies
  std::optional<SpanRecord> span;
  std::optional<AlternativeRecord> alternative;
};

config::OptimizerConfig stored_config(const HouseStore& store) {
  const std::optional<std::string> text = store.meta("config");
  if (!text) throw HouseError(store.index_path() + ": no config in meta (not written by bespoke-opt house build)");
  try {
    return config::parse_optimizer_config(*text, store.index_path() + " (config)", "/", config::FileChecks::kNone);
  } catch (const config::ConfigError& e) {
    throw HouseError(store.index_path() + ": stored config is invalid: " + e.what());
  }
}

void require_same_config(const HouseStore& reference, const config::OptimizerConfig& expected,
                         const HouseStore& store) {
  const std::vector<std::string> differences = config::house_differences(expected, stored_config(store));
  if (differences.empty()) return;
  std::string list;
  for (const std::string& d : differences) list += (list.empty() ? "" : "; ") + d;
  throw HouseError(store.dir() + ": built from a different config than " + reference.dir() + ": " + list);
}

// Items by key; a key seen twice must be the same item.
class ItemIndex {
 public:
  void add(const std::string& key, Item item) {
    const auto [it, inserted] = items_.emplace(key, item);
    if (!inserted) require_equal(key, it->second, item);
    if (item.file.empty()) return;
    const auto [named, fresh] = files_.emplace(item.file, std::make_pair(key, item.store));
    if (!fresh && named->second.first != key && !same_bytes(*named->second.second, *item.store, item.file))
      throw HouseError(item.store->path(item.file) + ": the file of '" + key + "' differs from the one of '" +
                       named->second.first + "' in " + named->second.second->dir());
  }
  const std::map<std::string, Item>& items() const { return items_; }

 private:
  static bool same_bytes(const HouseStore& a, const HouseStore& b, const std::string& file) {
    return read_file_bytes(a.path(file)) == read_file_bytes(b.path(file));
  }
  static void require_equal(const std::string& key, const Item& first, const Item& second) {
    const bool same = first.summary == second.summary && first.file == second.file &&
                      (first.file.empty() || same_bytes(*first.store, *second.store, first.file));
    if (!same)
      throw HouseError("'" + key + "' differs between " + first.store->dir() + " and " + second.store->dir() +
                       " (status, reason or file bytes)");
  }

  std::map<std::string, Item> items_;
  std::map<std::string, std::pair<std::string, const HouseStore*>> files_;  // file -> (key, store)
};

void index_store(const HouseStore& store, ItemIndex& index) {
  for (const SpanRecord& s : store.spans()) {
    Item item{&store, s.file, "span", s, std::nullopt};
    index.add("span " + std::to_string(s.cut_begin) + "-" + std::to_string(s.cut_end), item);
  }
  for (const AlternativeRecord& a : store.alternatives()) {
    Item item{&store, a.status == ItemStatus::kDone ? a.file : "", std::string(status_name(a.status)) + ": " + a.reason,
              std::nullopt, a};
    index.add(a.key, item);
  }
}

bool same_path(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

void merge_houses(const std::string& out_dir, const std::vector<std::string>& in_dirs) {
  if (in_dirs.empty()) throw HouseError("merge: no input houses");
  std::vector<HouseStore> inputs;
  for (const std::string& dir : in_dirs) {
    if (same_path(dir, out_dir)) throw HouseError(dir + ": is the output folder too");
    for (const HouseStore& earlier : inputs) {
      if (same_path(earlier.dir(), dir)) throw HouseError(dir + ": listed twice");
    }
    inputs.push_back(HouseStore::open(dir, false));
    inputs.back().check_files();
  }
  const config::OptimizerConfig expected = stored_config(inputs.front());
  ItemIndex index;
  for (const HouseStore& store : inputs) {
    require_same_config(inputs.front(), expected, store);
    index_store(store, index);
  }

  HouseStore out = HouseStore::open(out_dir, true);
  if (out.meta("shard")) throw HouseError(out.dir() + ": is a shard's house; merge into a new folder");
  if (out.meta("config")) {
    require_same_config(inputs.front(), expected, out);
    out.check_files();
    index_store(out, index);
  }

  // The config first: a merge interrupted after it is checked like any house when run again.
  for (const auto& [key, value] : inputs.front().all_meta()) {
    if (key != "shard" && key != "schema_version") out.set_meta(key, value);
  }
  // The effective config next to the index, as house build writes it.
  const std::string config_text = *inputs.front().meta("config");
  write_file_atomically(out.path("config.toml"), std::vector<uint8_t>(config_text.begin(), config_text.end()));
  for (const auto& [key, item] : index.items()) {
    if (item.store == &out) continue;
    if (!item.file.empty()) {
      const std::vector<uint8_t> bytes = read_file_bytes(item.store->path(item.file));
      std::error_code ec;
      if (!fs::exists(out.path(item.file), ec) || read_file_bytes(out.path(item.file)) != bytes)
        write_file_atomically(out.path(item.file), bytes);
    }
    if (item.span) out.put_span(*item.span);
    if (item.alternative) out.put_alternative(*item.alternative);
  }
}

}  // namespace bespoke::house
