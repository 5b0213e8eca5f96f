#include "house/house_store.h"

#include "house/sql_statement.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace bespoke::house {

namespace fs = std::filesystem;

namespace {

// Version 1, created in one transaction on a new file.
const char* const kSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE spans (
  cut_begin INTEGER NOT NULL, cut_end INTEGER NOT NULL, units TEXT NOT NULL,
  input_shape TEXT NOT NULL, output_shape TEXT NOT NULL,
  params INTEGER NOT NULL, flops INTEGER NOT NULL, macs INTEGER NOT NULL, file TEXT NOT NULL,
  PRIMARY KEY (cut_begin, cut_end));
CREATE TABLE alternatives (
  key TEXT PRIMARY KEY, cut_begin INTEGER NOT NULL, cut_end INTEGER NOT NULL, kind TEXT NOT NULL,
  origin_model TEXT NOT NULL, origin_node_begin TEXT NOT NULL, origin_node_end TEXT NOT NULL,
  ratio REAL NOT NULL, adapters TEXT NOT NULL,
  params INTEGER NOT NULL, flops INTEGER NOT NULL, macs INTEGER NOT NULL,
  loss_before REAL, loss_after REAL, rel_mse REAL, steps INTEGER NOT NULL,
  status TEXT NOT NULL, reason TEXT NOT NULL, seconds REAL NOT NULL, file TEXT NOT NULL);
)sql";

// kMigrations[v - 1] upgrades a version-v file to v + 1 (see the header).
const std::vector<const char*> kMigrations = {
    // 1 -> 2: per-target latency tables (latency/latency_store.h).
    //  latency_targets: one row per profiled target: the device fingerprint,
    //    the settings it was measured with (a profile with other settings
    //    starts over), and the table's figures once complete.
    //  latency_measurements: one row per (target, round, probe) measured, so
    //    that an interrupted profile resumes where it stopped; blocks is the
    //    probe's per-block medians ("id name ms" lines), reference_ms the
    //    profiled teacher's time measured interleaved with it.
    //  latency_items: the finished table: per teacher unit ("unit:<i>") and
    //    per alternative key, its in-context milliseconds and sizes.
    R"sql(
CREATE TABLE latency_targets (
  name TEXT PRIMARY KEY, cpu TEXT NOT NULL, cores INTEGER NOT NULL, isa TEXT NOT NULL,
  runtime_version INTEGER NOT NULL, backend TEXT NOT NULL, threads INTEGER NOT NULL,
  settings TEXT NOT NULL, complete INTEGER NOT NULL,
  teacher_ms REAL NOT NULL, teacher_drift REAL NOT NULL,
  teacher_arena_bytes INTEGER NOT NULL, teacher_weights_bytes INTEGER NOT NULL);
CREATE TABLE latency_measurements (
  target TEXT NOT NULL, round INTEGER NOT NULL, probe TEXT NOT NULL,
  end_to_end_ms REAL NOT NULL, reference_ms REAL NOT NULL,
  arena_bytes INTEGER NOT NULL, weights_bytes INTEGER NOT NULL,
  backends TEXT NOT NULL, blocks TEXT NOT NULL,
  PRIMARY KEY (target, round, probe));
CREATE TABLE latency_items (
  target TEXT NOT NULL, item TEXT NOT NULL, ms REAL NOT NULL,
  arena_bytes INTEGER NOT NULL, weights_bytes INTEGER NOT NULL,
  PRIMARY KEY (target, item));
)sql",
};

const char* const kSpanColumns = "cut_begin, cut_end, units, input_shape, output_shape, params, flops, macs, file";
const char* const kAlternativeColumns =
    "key, cut_begin, cut_end, kind, origin_model, origin_node_begin, origin_node_end, ratio, adapters, "
    "params, flops, macs, loss_before, loss_after, rel_mse, steps, status, reason, seconds, file";

// Reads the first page through quick_check: garbage, a truncated file or a
// damaged b-tree all end here with a message naming the file.
void check_integrity(sqlite3* db, const std::string& file) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, nullptr);
  std::string result;
  if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    result = text ? reinterpret_cast<const char*>(text) : "";
  }
  const int code = rc == SQLITE_ROW || rc == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db);
  const std::string message = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if ((code & 0xff) == SQLITE_NOTADB) throw HouseError(file + ": not a model house (not an SQLite database)");
  if (code != SQLITE_OK) throw HouseError(file + ": corrupt or unreadable (" + message + ")");
  if (result != "ok") throw HouseError(file + ": corrupt (" + result + ")");
}

int count_tables(sqlite3* db, const std::string& file, const std::string& name_filter) {
  Statement q(db, file, "SELECT count(*) FROM sqlite_master WHERE type = 'table'" + name_filter);
  q.step();
  return static_cast<int>(q.integer());
}

// Creates or upgrades the schema; refuses files that are no house or too new.
void prepare_schema(sqlite3* db, const std::string& file, bool create) {
  if (count_tables(db, file, " AND name = 'meta'") == 0) {
    if (count_tables(db, file, "") > 0)
      throw HouseError(file + ": not a model house (an SQLite database of something else)");
    if (!create) throw HouseError(file + ": not a model house (an empty database)");
    // Created as version 1; the migrations below bring it up to date, so a
    // new file and an upgraded one have the very same schema.
    execute_atomically(db, file, std::string(kSchema) + "INSERT INTO meta VALUES ('schema_version', '1');");
  }
  Statement q(db, file, "SELECT value FROM meta WHERE key = 'schema_version'");
  const std::string text = q.step() ? q.text() : "";
  int version = 0;
  try {
    size_t used = 0;
    version = std::stoi(text, &used);
    if (used != text.size()) version = 0;
  } catch (const std::exception&) {
    version = 0;
  }
  if (version < 1) throw HouseError(file + ": corrupt (no valid schema_version in meta: '" + text + "')");
  if (version > HouseStore::kSchemaVersion)
    throw HouseError(file + ": schema version " + std::to_string(version) + " is newer than this program's (" +
                     std::to_string(HouseStore::kSchemaVersion) + "); use a newer bespoke-opt");
  for (int v = version; v < HouseStore::kSchemaVersion; ++v) {
    execute_atomically(db, file,
                       std::string(kMigrations[static_cast<size_t>(v - 1)]) + "UPDATE meta SET value = '" +
                           std::to_string(v + 1) + "' WHERE key = 'schema_version';");
  }
}

SpanRecord read_span(Statement& q) {
  SpanRecord s;
  s.cut_begin = q.small_integer();
  s.cut_end = q.small_integer();
  s.units = q.text();
  s.input_shape = q.text();
  s.output_shape = q.text();
  s.params = q.integer();
  s.flops = q.integer();
  s.macs = q.integer();
  s.file = q.text();
  return s;
}

AlternativeRecord read_alternative(Statement& q, const std::string& file) {
  AlternativeRecord a;
  a.key = q.text();
  a.cut_begin = q.small_integer();
  a.cut_end = q.small_integer();
  const std::string kind = q.text();
  a.origin_model = q.text();
  a.origin_node_begin = q.text();
  a.origin_node_end = q.text();
  a.ratio = q.real();
  a.adapters = q.text();
  a.params = q.integer();
  a.flops = q.integer();
  a.macs = q.integer();
  a.loss_before = q.real();
  a.loss_after = q.real();
  a.rel_mse = q.real();
  a.steps = q.integer();
  const std::string status = q.text();
  a.reason = q.text();
  a.seconds = q.real();
  a.file = q.text();
  try {
    a.kind = parse_kind(kind);
    a.status = parse_status(status);
  } catch (const HouseError& e) {
    throw HouseError(file + ": alternative '" + a.key + "': " + e.what());
  }
  return a;
}

[[noreturn]] void fail_errno(const std::string& path, const std::string& what) {
  throw HouseError(path + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

const char* status_name(ItemStatus status) { return status == ItemStatus::kDone ? "done" : "failed"; }

ItemStatus parse_status(const std::string& name) {
  if (name == "done") return ItemStatus::kDone;
  if (name == "failed") return ItemStatus::kFailed;
  throw HouseError("unknown status '" + name + "' (known: done, failed)");
}

void HouseStore::Closer::operator()(sqlite3* db) const { sqlite3_close(db); }

HouseStore::HouseStore(std::string dir, sqlite3* db) : dir_(std::move(dir)), db_(db) {}
HouseStore::HouseStore(HouseStore&&) noexcept = default;
HouseStore& HouseStore::operator=(HouseStore&&) noexcept = default;
HouseStore::~HouseStore() = default;

HouseStore HouseStore::open(const std::string& dir, bool create) {
  std::error_code ec;
  if (dir.empty()) throw HouseError("house folder: empty path");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw HouseError(dir + ": not a folder (a model house is a folder)");
  if (!fs::exists(dir, ec)) {
    if (!create) throw HouseError(dir + ": no such folder");
    fs::create_directories(dir, ec);
    if (ec) throw HouseError(dir + ": cannot create the folder: " + ec.message());
  }
  const std::string file = (fs::path(dir) / kIndexFile).string();
  const bool exists = fs::exists(file, ec);
  if (!exists && !create) throw HouseError(dir + ": not a model house (no " + kIndexFile + ")");
  if (exists && !fs::is_regular_file(file, ec)) throw HouseError(file + ": not a regular file");

  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  HouseStore store(dir, raw);  // closes `raw` whatever happens next
  if (rc != SQLITE_OK) throw HouseError(file + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 30000);  // shards or a status command may read while a build writes
  check_integrity(raw, file);
  execute(raw, file, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;");
  prepare_schema(raw, file, create);
  return store;
}

std::string HouseStore::path(const std::string& file) const { return (fs::path(dir_) / file).string(); }

std::optional<std::string> HouseStore::meta(const std::string& key) const {
  Statement q(db_.get(), index_path(), "SELECT value FROM meta WHERE key = ?");
  q.bind(key);
  if (!q.step()) return std::nullopt;
  return q.text();
}

void HouseStore::set_meta(const std::string& key, const std::string& value) {
  Statement q(db_.get(), index_path(), "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  q.bind(key).bind(value);
  q.step();
}

std::vector<std::pair<std::string, std::string>> HouseStore::all_meta() const {
  Statement q(db_.get(), index_path(), "SELECT key, value FROM meta ORDER BY key");
  std::vector<std::pair<std::string, std::string>> out;
  while (q.step()) {
    std::string key = q.text();
    out.emplace_back(std::move(key), q.text());
  }
  return out;
}

void HouseStore::put_span(const SpanRecord& s) {
  Statement q(db_.get(), index_path(),
              std::string("INSERT OR REPLACE INTO spans (") + kSpanColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(s.cut_begin).bind(s.cut_end).bind(s.units).bind(s.input_shape).bind(s.output_shape);
  q.bind(s.params).bind(s.flops).bind(s.macs).bind(s.file);
  q.step();
}

std::vector<SpanRecord> HouseStore::spans() const {
  Statement q(db_.get(), index_path(),
              std::string("SELECT ") + kSpanColumns + " FROM spans ORDER BY cut_begin, cut_end");
  std::vector<SpanRecord> out;
  while (q.step()) out.push_back(read_span(q));
  return out;
}

void HouseStore::put_alternative(const AlternativeRecord& a) {
  Statement q(db_.get(), index_path(),
              std::string("INSERT OR REPLACE INTO alternatives (") + kAlternativeColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(a.key).bind(a.cut_begin).bind(a.cut_end).bind(std::string(kind_name(a.kind)));
  q.bind(a.origin_model).bind(a.origin_node_begin).bind(a.origin_node_end).bind(a.ratio).bind(a.adapters);
  q.bind(a.params).bind(a.flops).bind(a.macs).bind(a.loss_before).bind(a.loss_after).bind(a.rel_mse).bind(a.steps);
  q.bind(std::string(status_name(a.status))).bind(a.reason).bind(a.seconds).bind(a.file);
  q.step();
}

std::vector<AlternativeRecord> HouseStore::alternatives() const {
  Statement q(db_.get(), index_path(),
              std::string("SELECT ") + kAlternativeColumns + " FROM alternatives ORDER BY key");
  std::vector<AlternativeRecord> out;
  while (q.step()) out.push_back(read_alternative(q, index_path()));
  return out;
}

std::optional<AlternativeRecord> HouseStore::find(const std::string& key) const {
  Statement q(db_.get(), index_path(),
              std::string("SELECT ") + kAlternativeColumns + " FROM alternatives WHERE key = ?");
  q.bind(key);
  if (!q.step()) return std::nullopt;
  return read_alternative(q, index_path());
}

void HouseStore::check_files() const {
  std::error_code ec;
  const auto require = [&](const std::string& file, const std::string& owner) {
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..")
      throw HouseError(index_path() + ": " + owner + " names an invalid file '" + file + "'");
    if (!fs::is_regular_file(path(file), ec)) throw HouseError(path(file) + ": missing (referenced by " + owner + ")");
  };
  for (const SpanRecord& s : spans())
    require(s.file, "span " + std::to_string(s.cut_begin) + "-" + std::to_string(s.cut_end));
  for (const AlternativeRecord& a : alternatives()) {
    // The identity (a drop that keeps no operator) has nothing to store.
    if (a.status == ItemStatus::kDone && !(a.file.empty() && a.params == 0))
      require(a.file, "alternative '" + a.key + "'");
  }
}

void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_errno(path, "cannot write");
  // Leaves no temporary file behind, keeps errno for the message.
  const auto give_up = [&](const char* what) {
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    errno = saved;
    fail_errno(path, what);
  };
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) give_up("cannot write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) give_up("cannot write");
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) give_up("cannot write");
  if (::rename(tmp.c_str(), path.c_str()) != 0) give_up("cannot rename the temporary file");
  // The rename itself is durable only once the folder is synced.
  std::string folder = fs::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HouseError(path + ": cannot open");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw HouseError(path + ": cannot read");
  return bytes;
}

}  // namespace bespoke::house
