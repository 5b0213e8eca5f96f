#include "latency/latency_store.h"

#include <cstdio>
#include <sstream>

#include "house/sql_statement.h"
#include "latency/latency_error.h"

namespace bespoke::latency {

namespace {

using house::Statement;

const char* const kUnitPrefix = "unit:";

// "id\tname\tms" lines: names are keys and unit names, which hold no tab or newline.
std::string blocks_text(const std::vector<BlockTime>& blocks) {
  std::string text;
  char ms[40];
  for (const BlockTime& b : blocks) {
    std::snprintf(ms, sizeof ms, "%.17g", b.ms);
    text += std::to_string(b.id) + "\t" + b.name + "\t" + ms + "\n";
  }
  return text;
}

std::vector<BlockTime> parse_blocks(const std::string& text, const std::string& where) {
  std::vector<BlockTime> blocks;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find('\t'), b = line.rfind('\t');
    if (a == std::string::npos || a == b) throw LatencyError(where + ": corrupt block line '" + line + "'");
    try {
      blocks.push_back({static_cast<uint32_t>(std::stoul(line.substr(0, a))), line.substr(a + 1, b - a - 1),
                        std::stod(line.substr(b + 1))});
    } catch (const std::exception&) {
      throw LatencyError(where + ": corrupt block line '" + line + "'");
    }
  }
  return blocks;
}

Fingerprint read_fingerprint(Statement& q) {
  Fingerprint f;
  f.cpu = q.text();
  f.cores = q.small_integer();
  f.isa = q.text();
  f.runtime_version = static_cast<uint32_t>(q.integer());
  f.backend = q.text();
  f.threads = q.small_integer();
  return f;
}

const char* const kFingerprintColumns = "cpu, cores, isa, runtime_version, backend, threads";

}  // namespace

std::optional<TargetRecord> LatencyStore::target(const std::string& name) const {
  Statement q(
      store_.database(), store_.index_path(),
      std::string("SELECT ") + kFingerprintColumns + ", settings, complete FROM latency_targets WHERE name = ?");
  q.bind(name);
  if (!q.step()) return std::nullopt;
  TargetRecord r;
  r.name = name;
  r.device = read_fingerprint(q);
  r.settings = q.text();
  r.complete = q.integer() != 0;
  return r;
}

void LatencyStore::start_target(const TargetRecord& r) {
  sqlite3* db = store_.database();
  const std::string file = store_.index_path();
  house::Transaction t(db, file);
  for (const char* table : {"latency_measurements", "latency_items"}) {
    Statement d(db, file, std::string("DELETE FROM ") + table + " WHERE target = ?");
    d.bind(r.name);
    d.step();
  }
  Statement q(db, file,
              std::string("INSERT OR REPLACE INTO latency_targets (name, ") + kFingerprintColumns +
                  ", settings, complete, teacher_ms, teacher_drift, teacher_arena_bytes, teacher_weights_bytes) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0)");
  q.bind(r.name).bind(r.device.cpu).bind(r.device.cores).bind(r.device.isa);
  q.bind(static_cast<int64_t>(r.device.runtime_version)).bind(r.device.backend).bind(r.device.threads).bind(r.settings);
  q.step();
  t.commit();
}

void LatencyStore::put_measurement(const std::string& target, const ProbeMeasurement& m) {
  Statement q(store_.database(), store_.index_path(),
              "INSERT OR REPLACE INTO latency_measurements (target, round, probe, end_to_end_ms, reference_ms, "
              "arena_bytes, weights_bytes, backends, blocks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(target).bind(m.round).bind(m.probe).bind(m.end_to_end_ms).bind(m.reference_ms);
  q.bind(static_cast<int64_t>(m.arena_bytes)).bind(static_cast<int64_t>(m.weights_bytes));
  q.bind(m.backends).bind(blocks_text(m.blocks));
  q.step();
}

std::vector<ProbeMeasurement> LatencyStore::measurements(const std::string& target) const {
  Statement q(store_.database(), store_.index_path(),
              "SELECT round, probe, end_to_end_ms, reference_ms, arena_bytes, weights_bytes, backends, blocks "
              "FROM latency_measurements WHERE target = ? ORDER BY round, probe");
  q.bind(target);
  std::vector<ProbeMeasurement> out;
  while (q.step()) {
    ProbeMeasurement m;
    m.round = q.small_integer();
    m.probe = q.text();
    m.end_to_end_ms = q.real();
    m.reference_ms = q.real();
    m.arena_bytes = static_cast<uint64_t>(q.integer());
    m.weights_bytes = static_cast<uint64_t>(q.integer());
    m.backends = q.text();
    m.blocks = parse_blocks(q.text(), store_.index_path() + ": target " + target + ", probe " + m.probe);
    out.push_back(std::move(m));
  }
  return out;
}

bool LatencyStore::has_measurement(const std::string& target, int round, const std::string& probe) const {
  Statement q(store_.database(), store_.index_path(),
              "SELECT 1 FROM latency_measurements WHERE target = ? AND round = ? AND probe = ?");
  q.bind(target).bind(round).bind(probe);
  return q.step();
}

void LatencyStore::put_table(const LatencyTable& table) {
  sqlite3* db = store_.database();
  const std::string file = store_.index_path();
  house::Transaction t(db, file);
  {
    Statement d(db, file, "DELETE FROM latency_items WHERE target = ?");
    d.bind(table.target);
    d.step();
  }
  const auto put_item = [&](const std::string& item, double ms, uint64_t arena, uint64_t weights) {
    Statement q(db, file,
                "INSERT INTO latency_items (target, item, ms, arena_bytes, weights_bytes) VALUES (?, ?, ?, ?, ?)");
    q.bind(table.target).bind(item).bind(ms).bind(static_cast<int64_t>(arena)).bind(static_cast<int64_t>(weights));
    q.step();
  };
  for (size_t u = 0; u < table.unit_ms.size(); ++u)
    put_item(kUnitPrefix + std::to_string(u), table.unit_ms[u], 0,
             u < table.unit_weights_bytes.size() ? table.unit_weights_bytes[u] : 0);
  for (const auto& [key, a] : table.alternatives) put_item(key, a.ms, a.probe_arena_bytes, a.weights_bytes);
  Statement q(db, file,
              "UPDATE latency_targets SET complete = 1, teacher_ms = ?, teacher_drift = ?, teacher_arena_bytes = ?, "
              "teacher_weights_bytes = ?, backend = ? WHERE name = ?");
  q.bind(table.teacher_ms).bind(table.teacher_drift).bind(static_cast<int64_t>(table.teacher_arena_bytes));
  q.bind(static_cast<int64_t>(table.teacher_weights_bytes)).bind(table.device.backend).bind(table.target);
  q.step();
  t.commit();
}

LatencyTable load_latency_table(const house::HouseStore& store, const std::string& target) {
  const std::string file = store.index_path();
  LatencyTable table;
  table.target = target;
  {
    Statement q(store.database(), file,
                std::string("SELECT ") + kFingerprintColumns +
                    ", teacher_ms, teacher_drift, teacher_arena_bytes, teacher_weights_bytes "
                    "FROM latency_targets WHERE name = ? AND complete = 1");
    q.bind(target);
    if (!q.step())
      throw LatencyError("target " + target + " is not profiled in " + store.dir() +
                         ": run bespoke-opt profile --target " + target);
    table.device = read_fingerprint(q);
    table.teacher_ms = q.real();
    table.teacher_drift = q.real();
    table.teacher_arena_bytes = static_cast<uint64_t>(q.integer());
    table.teacher_weights_bytes = static_cast<uint64_t>(q.integer());
  }
  Statement q(store.database(), file,
              "SELECT item, ms, arena_bytes, weights_bytes FROM latency_items WHERE target = ?");
  q.bind(target);
  std::vector<std::pair<size_t, std::pair<double, uint64_t>>> units;
  while (q.step()) {
    const std::string item = q.text();
    const double ms = q.real();
    const uint64_t arena = static_cast<uint64_t>(q.integer());
    const uint64_t weights = static_cast<uint64_t>(q.integer());
    if (item.rfind(kUnitPrefix, 0) == 0) {
      const size_t u = std::stoul(item.substr(std::string(kUnitPrefix).size()));
      if (u >= 100000) throw LatencyError(file + ": target " + target + ": corrupt item '" + item + "'");
      if (table.unit_ms.size() <= u) {
        table.unit_ms.resize(u + 1, 0.0);
        table.unit_weights_bytes.resize(u + 1, 0);
      }
      table.unit_ms[u] = ms;
      table.unit_weights_bytes[u] = weights;
    } else {
      table.alternatives[item] = AlternativeLatency{ms, arena, weights};
    }
  }
  return table;
}

std::vector<std::string> profiled_targets(const house::HouseStore& store) {
  Statement q(store.database(), store.index_path(),
              "SELECT name FROM latency_targets WHERE complete = 1 ORDER BY name");
  std::vector<std::string> names;
  while (q.step()) names.push_back(q.text());
  return names;
}

}  // namespace bespoke::latency
