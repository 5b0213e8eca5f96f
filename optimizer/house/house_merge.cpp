#include "house/house_merge.h"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "house/sql_statement.h"

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

// The latency tables as stored (schema v2). latency/ builds on this library,
// so the merge reads and writes the rows itself, column for column; the
// values are copied, never recomputed.

struct TargetRow {
  std::string name, cpu, isa, backend, settings;
  int64_t cores = 0, runtime_version = 0, threads = 0, complete = 0;
  double teacher_ms = 0, teacher_drift = 0;
  int64_t teacher_arena_bytes = 0, teacher_weights_bytes = 0;

  auto device() const { return std::tie(cpu, cores, isa, runtime_version, backend, threads); }
  // Worded as latency::Fingerprint::describe, so both refusals read alike.
  std::string device_text() const {
    return cpu + ", " + std::to_string(cores) + " cores, " + isa + ", runtime " + std::to_string(runtime_version) +
           ", backend " + backend + ", " + std::to_string(threads) + " thread(s)";
  }
  // The settings' first line is how it measures; the rest is its probe plan,
  // which differs between houses of different alternatives.
  std::string measure_settings() const { return settings.substr(0, settings.find('\n')); }
  // What a finished table says beside its items.
  auto figures() const {
    return std::tie(complete, teacher_ms, teacher_drift, teacher_arena_bytes, teacher_weights_bytes);
  }
};

struct MeasurementRow {
  int64_t round = 0;
  std::string probe;
  double end_to_end_ms = 0, reference_ms = 0;
  int64_t arena_bytes = 0, weights_bytes = 0;
  std::string backends, blocks;

  auto fields() const {
    return std::tie(round, probe, end_to_end_ms, reference_ms, arena_bytes, weights_bytes, backends, blocks);
  }
};

struct ItemRow {
  std::string item;
  double ms = 0;
  int64_t arena_bytes = 0, weights_bytes = 0;

  auto fields() const { return std::tie(item, ms, arena_bytes, weights_bytes); }
};

// Everything one house holds of one target.
struct TargetRows {
  const HouseStore* store = nullptr;
  TargetRow target;
  std::vector<MeasurementRow> measurements;
  std::vector<ItemRow> items;
};

const char* const kTargetColumns =
    "name, cpu, cores, isa, runtime_version, backend, threads, settings, complete, teacher_ms, teacher_drift, "
    "teacher_arena_bytes, teacher_weights_bytes";
const char* const kMeasurementColumns =
    "round, probe, end_to_end_ms, reference_ms, arena_bytes, weights_bytes, backends, blocks";
const char* const kItemColumns = "item, ms, arena_bytes, weights_bytes";

std::vector<TargetRows> read_latency(const HouseStore& store) {
  sqlite3* db = store.database();
  const std::string file = store.index_path();
  std::vector<TargetRows> out;
  Statement targets(db, file, std::string("SELECT ") + kTargetColumns + " FROM latency_targets ORDER BY name");
  while (targets.step()) {
    TargetRows rows;
    rows.store = &store;
    TargetRow& t = rows.target;
    t.name = targets.text();
    t.cpu = targets.text();
    t.cores = targets.integer();
    t.isa = targets.text();
    t.runtime_version = targets.integer();
    t.backend = targets.text();
    t.threads = targets.integer();
    t.settings = targets.text();
    t.complete = targets.integer();
    t.teacher_ms = targets.real();
    t.teacher_drift = targets.real();
    t.teacher_arena_bytes = targets.integer();
    t.teacher_weights_bytes = targets.integer();
    Statement m(db, file,
                std::string("SELECT ") + kMeasurementColumns +
                    " FROM latency_measurements WHERE target = ? ORDER BY round, probe");
    m.bind(t.name);
    while (m.step()) {
      MeasurementRow r;
      r.round = m.integer();
      r.probe = m.text();
      r.end_to_end_ms = m.real();
      r.reference_ms = m.real();
      r.arena_bytes = m.integer();
      r.weights_bytes = m.integer();
      r.backends = m.text();
      r.blocks = m.text();
      rows.measurements.push_back(std::move(r));
    }
    Statement i(db, file, std::string("SELECT ") + kItemColumns + " FROM latency_items WHERE target = ? ORDER BY item");
    i.bind(t.name);
    while (i.step()) {
      ItemRow r;
      r.item = i.text();
      r.ms = i.real();
      r.arena_bytes = i.integer();
      r.weights_bytes = i.integer();
      rows.items.push_back(std::move(r));
    }
    out.push_back(std::move(rows));
  }
  return out;
}

bool same_table(const TargetRows& a, const TargetRows& b) {
  if (a.target.figures() != b.target.figures() || a.items.size() != b.items.size()) return false;
  for (size_t i = 0; i < a.items.size(); ++i)
    if (a.items[i].fields() != b.items[i].fields()) return false;
  return true;
}

// The latency targets of every house, by name; refuses, as they come, a
// target of two devices or two measurement settings.
class LatencyIndex {
 public:
  // `first`: the existing output, which takes precedence (house_merge.h).
  void add(const HouseStore& store, bool first) {
    for (TargetRows& rows : read_latency(store)) {
      std::vector<TargetRows>& holders = targets_[rows.target.name];
      for (const TargetRows& other : holders) require_comparable(other, rows);
      holders.insert(first ? holders.begin() : holders.end(), std::move(rows));
    }
  }

  // The rows each target will have in the merged house, and the notes on
  // what was chosen. `done_keys`: the merged house's done alternatives.
  std::vector<TargetRows> merged(const std::set<std::string>& done_keys, std::vector<std::string>& notes) const {
    std::vector<TargetRows> out;
    for (const auto& [name, holders] : targets_) out.push_back(merge_target(name, holders, done_keys, notes));
    return out;
  }

 private:
  static void require_comparable(const TargetRows& a, const TargetRows& b) {
    const std::string where = b.store->index_path() + ": target '" + b.target.name + "' was ";
    if (a.target.device() != b.target.device())
      throw HouseError(where + "profiled on another device than in " + a.store->index_path() + " (" +
                       b.target.device_text() + " against " + a.target.device_text() +
                       "); a merge never mixes devices: profile one of them under another target name");
    if (a.target.measure_settings() != b.target.measure_settings())
      throw HouseError(where + "measured with other settings than in " + a.store->index_path() + " (" +
                       b.target.measure_settings() + " against " + a.target.measure_settings() +
                       "): profile one of them again with the other's [profile] settings");
  }

  static TargetRows merge_target(const std::string& name, const std::vector<TargetRows>& holders,
                                 const std::set<std::string>& done_keys, std::vector<std::string>& notes) {
    const TargetRows* table = &holders.front();
    for (const TargetRows& h : holders) {
      if (h.target.complete != 0) {
        table = &h;
        break;
      }
    }
    const std::string prefix = "target '" + name + "': ";
    TargetRows merged;
    merged.store = table->store;
    merged.target = table->target;
    merged.items = table->items;

    // The table's own measurements first, so they win a differing key.
    std::vector<const TargetRows*> order = {table};
    for (const TargetRows& h : holders)
      if (&h != table) order.push_back(&h);
    std::map<std::pair<int64_t, std::string>, std::pair<const MeasurementRow*, const HouseStore*>> kept;
    for (const TargetRows* h : order) {
      size_t differing = 0;
      std::string example;
      for (const MeasurementRow& m : h->measurements) {
        const auto [it, fresh] = kept.emplace(std::make_pair(m.round, m.probe), std::make_pair(&m, h->store));
        if (fresh || it->second.first->fields() == m.fields()) continue;
        if (differing++ == 0)
          example =
              "round " + std::to_string(m.round) + " '" + m.probe + "' kept from " + it->second.second->index_path();
      }
      if (differing > 0)
        notes.push_back(prefix + std::to_string(differing) + " measurement(s) of " + h->store->index_path() +
                        " differ from the ones kept and are left out (" + example + ")");
      if (h != table && h->target.complete != 0 && !same_table(*h, *table))
        notes.push_back(prefix + "the table of " + h->store->index_path() + " is left out, the one of " +
                        table->store->index_path() + " is kept (a table is one profile's; profile " + name +
                        " again for one table of the whole house)");
    }
    for (const auto& [key, m] : kept) merged.measurements.push_back(*m.first);

    if (merged.target.complete != 0) {
      std::set<std::string> covered;
      for (const ItemRow& i : merged.items) covered.insert(i.item);
      size_t missing = 0;
      for (const std::string& key : done_keys) missing += covered.count(key) == 0 ? 1 : 0;
      if (missing > 0)
        notes.push_back(prefix + "its table (from " + table->store->index_path() + ") has no latency for " +
                        std::to_string(missing) +
                        " alternative(s) of the merged house: `bespoke-opt profile CONFIG --target " + name +
                        "` measures them");
    }
    return merged;
  }

  std::map<std::string, std::vector<TargetRows>> targets_;
};

// Replaces what `out` holds of the target by `rows`, in one transaction, so
// an interrupted merge leaves the target either as it was or as merged.
void write_target(HouseStore& out, const TargetRows& rows) {
  sqlite3* db = out.database();
  const std::string file = out.index_path();
  const std::string& name = rows.target.name;
  Transaction transaction(db, file);
  for (const char* table : {"latency_measurements", "latency_items"}) {
    Statement d(db, file, std::string("DELETE FROM ") + table + " WHERE target = ?");
    d.bind(name);
    d.step();
  }
  {
    const TargetRow& t = rows.target;
    Statement q(db, file,
                std::string("INSERT OR REPLACE INTO latency_targets (") + kTargetColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(t.name).bind(t.cpu).bind(t.cores).bind(t.isa).bind(t.runtime_version).bind(t.backend).bind(t.threads);
    q.bind(t.settings).bind(t.complete).bind(t.teacher_ms).bind(t.teacher_drift).bind(t.teacher_arena_bytes);
    q.bind(t.teacher_weights_bytes);
    q.step();
  }
  for (const MeasurementRow& m : rows.measurements) {
    Statement q(db, file,
                std::string("INSERT INTO latency_measurements (target, ") + kMeasurementColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(name).bind(m.round).bind(m.probe).bind(m.end_to_end_ms).bind(m.reference_ms).bind(m.arena_bytes);
    q.bind(m.weights_bytes).bind(m.backends).bind(m.blocks);
    q.step();
  }
  for (const ItemRow& i : rows.items) {
    Statement q(db, file,
                std::string("INSERT INTO latency_items (target, ") + kItemColumns + ") VALUES (?, ?, ?, ?, ?)");
    q.bind(name).bind(i.item).bind(i.ms).bind(i.arena_bytes).bind(i.weights_bytes);
    q.step();
  }
  transaction.commit();
}

bool same_path(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

MergeReport merge_houses(const std::string& out_dir, const std::vector<std::string>& in_dirs) {
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
  LatencyIndex latency;
  for (const HouseStore& store : inputs) {
    require_same_config(inputs.front(), expected, store);
    index_store(store, index);
    latency.add(store, false);
  }

  HouseStore out = HouseStore::open(out_dir, true);
  if (out.meta("shard")) throw HouseError(out.dir() + ": is a shard's house; merge into a new folder");
  if (out.meta("config")) {
    require_same_config(inputs.front(), expected, out);
    out.check_files();
    index_store(out, index);
  }
  latency.add(out, true);
  std::set<std::string> done_keys;
  for (const auto& [key, item] : index.items())
    if (item.alternative && item.alternative->status == ItemStatus::kDone) done_keys.insert(key);
  MergeReport report;
  const std::vector<TargetRows> targets = latency.merged(done_keys, report.notes);
  report.latency_targets = targets.size();

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
  // After the alternatives, so that every key a latency row names is in the house.
  for (const TargetRows& rows : targets) write_target(out, rows);
  return report;
}

}  // namespace bespoke::house
