// The index of a model house. A house is a folder:
//
//   house.sqlite          this index: settings (meta), sampled teacher spans, alternatives
//   <span>.bspk           one file per sampled teacher span
//   <alternative>.bspk    one file per trained alternative
//
// so that the very files a device runs are the ones in the house. Rows name
// their file relative to the folder, which can therefore be moved or copied.
//
// Crash safety (a build may be killed with SIGKILL at any moment): every
// put_* is one SQLite statement, hence one transaction, written through a
// rollback journal with synchronous=FULL, so a row is either entirely there or
// not at all; files are written by write_file_atomically before their row is
// put, so a row never names a half-written file. The rollback journal (not
// WAL) is chosen because house folders of sharded builds often sit on a
// network filesystem, where WAL's shared memory does not work.
//
// Schema (version 1, created in one transaction by open(create), then
// upgraded by the migrations to kSchemaVersion):
//   meta(key TEXT PRIMARY KEY, value TEXT)          -- "schema_version", "config", "shard", ...
//   spans(cut_begin, cut_end, units, input_shape, output_shape, params, flops, macs, file)
//         PRIMARY KEY (cut_begin, cut_end)
//   alternatives(key TEXT PRIMARY KEY, cut_begin, cut_end, kind, origin_model,
//         origin_node_begin, origin_node_end, ratio, adapters, params, flops, macs,
//         loss_before, loss_after, rel_mse, steps, status, reason, seconds, file)
// NaN losses are stored as NULL (SQLite has no NaN).
// Version 2 adds the per-target latency tables (latency_targets,
// latency_measurements, latency_items), written and read by
// latency/latency_store.h through database().
//
// Versions: meta "schema_version" says which schema a file has. A later
// version (for example the per-device latency tables) appends a migration
// step to house_store.cpp (kMigrations[v - 1] upgrades version v to v + 1 with
// CREATE TABLE / ALTER TABLE ... ADD COLUMN) and bumps kSchemaVersion; open()
// runs the missing steps in one transaction, so an old house upgrades in
// place. A file whose version is newer than this program's is refused.
//
// A HouseStore is used from one thread at a time.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "house/alternative_kind.h"
#include "house/house_error.h"

struct sqlite3;

namespace bespoke::house {

enum class ItemStatus { kDone, kFailed };

// "done" | "failed".
const char* status_name(ItemStatus status);
// The inverse of status_name; throws HouseError.
ItemStatus parse_status(const std::string& name);

struct SpanRecord {
  int cut_begin = 0, cut_end = 0;
  std::string units;                      // unit names, comma-separated
  std::string input_shape, output_shape;  // "1x32x14x14"
  int64_t params = 0, flops = 0, macs = 0;
  std::string file;  // file name inside the house folder
};

struct AlternativeRecord {
  std::string key;  // unique and deterministic, e.g. "s1-3/pruned/0.5" (house/alternative.h)
  int cut_begin = 0, cut_end = 0;
  AlternativeKind kind = AlternativeKind::kDrop;
  std::string origin_model, origin_node_begin, origin_node_end;  // source model and node span
  double ratio = 0.0;
  std::string adapters;  // "" or "in: conv1x1 32->16; out: ..."
  int64_t params = 0, flops = 0, macs = 0;
  double loss_before = NAN, loss_after = NAN, rel_mse = NAN;
  int64_t steps = 0;
  ItemStatus status = ItemStatus::kDone;
  std::string reason;    // why it failed
  double seconds = 0.0;  // wall time to make + train
  std::string file;      // "" when failed, and for the identity (a drop keeping no operator, params 0)
};

class HouseStore {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr const char* kIndexFile = "house.sqlite";

  // Opens <dir>/house.sqlite; creates the folder and the file when `create`.
  // Throws HouseError with one line naming the folder or file: no such
  // folder, not a house, not SQLite, corrupt (PRAGMA quick_check), schema
  // newer than this program. Never overwrites an existing file.
  static HouseStore open(const std::string& dir, bool create);

  HouseStore(HouseStore&&) noexcept;
  HouseStore& operator=(HouseStore&&) noexcept;
  HouseStore(const HouseStore&) = delete;
  HouseStore& operator=(const HouseStore&) = delete;
  ~HouseStore();

  const std::string& dir() const { return dir_; }
  std::string path(const std::string& file) const;  // dir/file
  std::string index_path() const { return path(kIndexFile); }

  // Settings of the house: "schema_version", "config" (the effective TOML),
  // "shard" ("K/N", absent when built whole or merged), "teacher", ...
  std::optional<std::string> meta(const std::string& key) const;
  void set_meta(const std::string& key, const std::string& value);
  std::vector<std::pair<std::string, std::string>> all_meta() const;  // ordered by key

  void put_span(const SpanRecord& span);  // insert or replace by (cut_begin, cut_end)
  std::vector<SpanRecord> spans() const;  // ordered by cut_begin, cut_end

  void put_alternative(const AlternativeRecord& alternative);  // one transaction; insert or replace by key
  std::vector<AlternativeRecord> alternatives() const;         // ordered by key
  std::optional<AlternativeRecord> find(const std::string& key) const;

  // Throws HouseError naming the first file that a span or a done
  // alternative refers to and that is not in the folder.
  void check_files() const;

  // The open index, for the tables that later steps keep in the same file
  // (latency/latency_store.h uses it with house/sql_statement.h).
  sqlite3* database() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  HouseStore(std::string dir, sqlite3* db);

  std::string dir_;
  std::unique_ptr<sqlite3, Closer> db_;
};

// Writes `bytes` to path through path.tmp: write, fsync, rename, fsync of the
// folder, so a crash leaves either the old file or the new one, never a
// truncated one. Throws HouseError naming the file (full disk included).
void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// The whole file; throws HouseError naming it.
std::vector<uint8_t> read_file_bytes(const std::string& path);

}  // namespace bespoke::house
