// The house's SQLite index (optimizer/house/house_store.h), atomic files and
// the merge of shard stores (house_merge.h) with their latency tables, on real
// files in a scratch folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <sqlite3.h>

#include "config/config_checks.h"
#include "house/house_coverage.h"
#include "house/house_merge.h"
#include "house/house_store.h"
#include "latency/latency_store.h"
#include "latency/latency_table.h"
#include "support/data_test_util.h"
#include "support/store_test_util.h"

namespace bespoke::house {

namespace {

namespace fs = std::filesystem;
using test::done_alternative;
using test::new_house;
using test::put_with_file;

// The message of the HouseError that `f` throws.
template <typename F>
std::string house_error(F&& f) {
  try {
    f();
  } catch (const HouseError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

SpanRecord span(int a, int b) {
  SpanRecord s;
  s.cut_begin = a;
  s.cut_end = b;
  s.units = "layer1.0,layer1.1";
  s.input_shape = "1x32x14x14";
  s.output_shape = "1x32x14x14";
  s.params = 18496;
  s.flops = 7225344;
  s.macs = 3612672;
  s.file = "span-" + std::to_string(a) + "-" + std::to_string(b) + ".bspk";
  return s;
}

// A shard's profile of target "board" as the profiler writes it: the
// teacher's two rows and one probe per alternative in round 0, then the
// finished table (teacher units and the alternatives).
void profile_shard(HouseStore& store, const latency::Fingerprint& device, const std::string& settings,
                   double profiled_teacher_ms, const std::vector<std::pair<std::string, double>>& alternatives) {
  latency::LatencyStore ls(store);
  ls.start_target({"board", device, settings, false});
  ls.put_measurement("board", {0, latency::kTeacherEndToEnd, 0.5, 0, 64, 400, "xnnpack 9", {}});
  ls.put_measurement("board", {0,
                               latency::kTeacherProfiled,
                               profiled_teacher_ms,
                               0,
                               64,
                               400,
                               "xnnpack 9",
                               {{0, "unit0", 0.2}, {1, "unit1", 0.3}}});
  latency::LatencyTable table;
  table.target = "board";
  table.device = device;
  table.teacher_ms = 0.5;
  table.teacher_drift = 0.01;
  table.unit_ms = {0.2 * 0.5 / profiled_teacher_ms, 0.3 * 0.5 / profiled_teacher_ms};
  table.unit_weights_bytes = {100, 300};
  table.teacher_arena_bytes = 64;
  table.teacher_weights_bytes = 400;
  for (const auto& [key, ms] : alternatives) {
    ls.put_measurement("board", {0, key, 0.45, profiled_teacher_ms, 72, 380, "xnnpack 8", {{7, key, ms}}});
    table.alternatives[key] = {ms, 72, 40};
  }
  ls.put_table(table);
}

void check_same_table(const latency::LatencyTable& a, const latency::LatencyTable& b) {
  CHECK(a.target == b.target);
  CHECK(a.device == b.device);
  CHECK(a.teacher_ms == b.teacher_ms);
  CHECK(a.teacher_drift == b.teacher_drift);
  CHECK(a.unit_ms == b.unit_ms);
  CHECK(a.unit_weights_bytes == b.unit_weights_bytes);
  CHECK(a.teacher_arena_bytes == b.teacher_arena_bytes);
  CHECK(a.teacher_weights_bytes == b.teacher_weights_bytes);
  REQUIRE(a.alternatives.size() == b.alternatives.size());
  for (const auto& [key, x] : a.alternatives) {
    REQUIRE(b.alternatives.count(key) == 1);
    const latency::AlternativeLatency& y = b.alternatives.at(key);
    CHECK(x.ms == y.ms);
    CHECK(x.probe_arena_bytes == y.probe_arena_bytes);
    CHECK(x.weights_bytes == y.weights_bytes);
  }
}

// One line per measurement, every field: equal texts mean equal rows.
std::vector<std::string> measurement_lines(HouseStore& store) {
  std::vector<std::string> lines;
  for (const latency::ProbeMeasurement& m : latency::LatencyStore(store).measurements("board")) {
    std::string line = std::to_string(m.round) + " " + m.probe + " " + std::to_string(m.end_to_end_ms) + " " +
                       std::to_string(m.reference_ms) + " " + std::to_string(m.arena_bytes) + " " +
                       std::to_string(m.weights_bytes) + " " + m.backends;
    for (const latency::BlockTime& b : m.blocks)
      line += " " + std::to_string(b.id) + ":" + b.name + ":" + std::to_string(b.ms);
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

bool has_note(const MergeReport& report, const std::string& part) {
  for (const std::string& note : report.notes)
    if (contains(note, part)) return true;
  return false;
}

}  // namespace

TEST_CASE("house store: kind and status names match the config's and parse back") {
  std::vector<std::string> names;
  for (const AlternativeKind kind : kAllAlternativeKinds) {
    names.push_back(kind_name(kind));
    CHECK(parse_kind(kind_name(kind)) == kind);
  }
  CHECK(names == config::detail::alternative_kind_names());
  CHECK(contains(house_error([] { parse_kind("prunned"); }), "unknown alternative kind 'prunned'"));
  CHECK(parse_status(status_name(ItemStatus::kFailed)) == ItemStatus::kFailed);
  CHECK(parse_status("done") == ItemStatus::kDone);
}

TEST_CASE("house store: rows and meta survive closing and reopening") {
  const test::ScratchDir scratch("house-store");
  const std::string dir = scratch.file("house");
  {
    HouseStore store = HouseStore::open(dir, true);  // creates the folder
    CHECK(fs::is_regular_file(dir + "/house.sqlite"));
    CHECK(store.meta("schema_version") == "2");
    CHECK(!store.meta("shard"));
    store.set_meta("shard", "1/2");
    store.put_span(span(3, 5));
    store.put_span(span(1, 3));
    AlternativeRecord pruned = done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3);
    pruned.ratio = 0.5;
    pruned.adapters = "in: conv1x1 32->16";
    pruned.origin_node_begin = "layer1.0.conv1";
    pruned.origin_node_end = "layer1.1.add";
    store.put_alternative(pruned);
    AlternativeRecord failed = done_alternative("s1-3/low_rank/0.25", AlternativeKind::kLowRank, 1, 3);
    failed.status = ItemStatus::kFailed;
    failed.reason = "distillation diverged: loss is nan at step 4";
    failed.loss_after = NAN;
    failed.rel_mse = NAN;
    failed.file.clear();
    store.put_alternative(failed);
    AlternativeRecord drop = done_alternative("s1-3/drop/identity", AlternativeKind::kDrop, 1, 3);
    store.put_alternative(drop);
    drop.params = 0;  // replaces by key
    store.put_alternative(drop);
  }
  HouseStore store = HouseStore::open(dir, false);
  CHECK(store.dir() == dir);
  CHECK(store.path("a.bspk") == dir + "/a.bspk");
  CHECK(store.meta("shard") == "1/2");
  CHECK(store.all_meta().size() == 2);  // schema_version, shard

  const auto spans = store.spans();
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].cut_begin == 1);  // ordered by cuts
  CHECK(spans[1].cut_begin == 3);
  CHECK(spans[1].units == "layer1.0,layer1.1");
  CHECK(spans[1].input_shape == "1x32x14x14");
  CHECK(spans[1].macs == 3612672);
  CHECK(spans[1].file == "span-3-5.bspk");

  const auto all = store.alternatives();
  REQUIRE(all.size() == 3);
  CHECK(all[0].key == "s1-3/drop/identity");  // ordered by key
  CHECK(all[0].params == 0);
  CHECK(all[1].key == "s1-3/low_rank/0.25");
  CHECK(all[1].status == ItemStatus::kFailed);
  CHECK(all[1].reason == "distillation diverged: loss is nan at step 4");
  CHECK(std::isnan(all[1].loss_after));
  CHECK(std::isnan(all[1].rel_mse));
  CHECK(all[1].loss_before == 1.5);
  CHECK(all[1].file.empty());
  const auto pruned = store.find("s1-3/pruned/0.5");
  REQUIRE(pruned);
  CHECK(pruned->kind == AlternativeKind::kPruned);
  CHECK(pruned->ratio == 0.5);
  CHECK(pruned->adapters == "in: conv1x1 32->16");
  CHECK(pruned->origin_model == "/models/teacher.onnx");
  CHECK(pruned->origin_node_begin == "layer1.0.conv1");
  CHECK(pruned->origin_node_end == "layer1.1.add");
  CHECK(pruned->flops == 20003);
  CHECK(pruned->loss_after == 0.25);
  CHECK(pruned->rel_mse == 0.125);
  CHECK(pruned->steps == 10);
  CHECK(pruned->seconds == 0.5);
  CHECK(pruned->file == "s1-3_pruned_0.5.bspk");
  CHECK(!store.find("s9-9/drop/identity"));

  // Rows name files that were never written.
  CHECK(house_error([&] { store.check_files(); }) == dir + "/span-1-3.bspk: missing (referenced by span 1-3)");
}

TEST_CASE("house store: anything that is not a usable house is one error naming the file") {
  const test::ScratchDir scratch("house-bad");
  const std::string file_of = "/house.sqlite";
  // No folder, a file instead of a folder, a folder without an index.
  CHECK(house_error([&] { HouseStore::open(scratch.file("none"), false); }) ==
        scratch.file("none") + ": no such folder");
  test::write_file_bytes(scratch.file("plain"), {1});
  CHECK(house_error([&] { HouseStore::open(scratch.file("plain"), true); }) ==
        scratch.file("plain") + ": not a folder (a model house is a folder)");
  fs::create_directories(scratch.file("empty"));
  CHECK(house_error([&] { HouseStore::open(scratch.file("empty"), false); }) ==
        scratch.file("empty") + ": not a model house (no house.sqlite)");

  // Garbage bytes: refused, and never overwritten even when asked to create.
  const std::string garbage = scratch.file("garbage");
  fs::create_directories(garbage);
  std::vector<uint8_t> noise(8192);
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<uint8_t>(i * 37 + 11);
  test::write_file_bytes(garbage + file_of, noise);
  CHECK(house_error([&] { HouseStore::open(garbage, true); }) ==
        garbage + file_of + ": not a model house (not an SQLite database)");
  CHECK(test::read_file_bytes(garbage + file_of) == noise);

  // A store cut short (a copy that stopped half-way).
  const std::string truncated = scratch.file("truncated");
  {
    HouseStore store = new_house(truncated);
    for (int i = 0; i < 200; ++i) {
      AlternativeRecord r = done_alternative("s0-1/drop/" + std::to_string(i), AlternativeKind::kDrop, 0, 1);
      r.reason = std::string(200, 'x');  // several pages
      store.put_alternative(r);
    }
  }
  const auto full = test::read_file_bytes(truncated + file_of);
  REQUIRE(full.size() > 16384);
  test::write_file_bytes(truncated + file_of,
                         std::vector<uint8_t>(full.begin(), full.begin() + static_cast<long>(full.size() / 2)));
  CHECK(house_error([&] { HouseStore::open(truncated, false); }) ==
        truncated + file_of + ": corrupt or unreadable (database disk image is malformed)");

  // A house written by a newer program.
  const std::string newer = scratch.file("newer");
  new_house(newer).set_meta("schema_version", "3");
  CHECK(house_error([&] { HouseStore::open(newer, false); }) ==
        newer + file_of + ": schema version 3 is newer than this program's (2); use a newer bespoke-opt");
  const std::string unversioned = scratch.file("unversioned");
  new_house(unversioned).set_meta("schema_version", "one");
  CHECK(house_error([&] { HouseStore::open(unversioned, false); }) ==
        unversioned + file_of + ": corrupt (no valid schema_version in meta: 'one')");

  // Some other SQLite database, and an empty one.
  const std::string other = scratch.file("other");
  fs::create_directories(other);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((other + file_of).c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE photos (id INTEGER)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(house_error([&] { HouseStore::open(other, true); }) ==
        other + file_of + ": not a model house (an SQLite database of something else)");
  const std::string empty_db = scratch.file("empty-db");
  fs::create_directories(empty_db);
  test::write_file_bytes(empty_db + file_of, {});
  CHECK(house_error([&] { HouseStore::open(empty_db, false); }) ==
        empty_db + file_of + ": not a model house (an empty database)");
}

TEST_CASE("house coverage: shares of FLOPs and unit times, the line that names what is left out") {
  const std::string head = "input or output not a feature map";
  const std::vector<UnitCost> units = {{"stem", 10, ""}, {"b1", 20, ""},    {"b2", 30, ""}, {"b3", 40, ""},
                                       {"pool", 5, ""},  {"flat", 0, head}, {"fc", 1, head}};
  const Coverage full = compute_coverage(units, {{0, 2}, {1, 4}, {4, 5}});
  CHECK(full.spans == 3);
  CHECK(full.covered_flops == 105);
  CHECK(full.total_flops == 106);
  CHECK(full.uncovered.empty());
  CHECK(full.not_coverable == std::vector<int>{5, 6});
  CHECK(share_text(full.flops_share()) == "99.0%");  // 99.06%: rounded down, never 100.0% short of the whole
  CHECK(share_text(0.99996) == "99.9%");
  CHECK(share_text(1.0) == "100.0%");
  CHECK(describe_coverage(full, units) ==
        "99.0% of the teacher's FLOPs in 3 spans (units not coverable: 5, 6 \u2014 the head, " + head + ")");
  // A house that misses units (older houses could) names them, ranges compressed.
  const Coverage part = compute_coverage(units, {{4, 5}, {9, 12}});
  CHECK(part.uncovered == std::vector<int>{0, 1, 2, 3});
  CHECK(describe_coverage(part, units) ==
        "4.7% of the teacher's FLOPs in 2 spans (units not coverable: 5, 6 \u2014 the head, " + head +
            "; units not covered: 0\u20133)");
  CHECK(describe_coverage(compute_coverage({{"a", 4, ""}}, {{0, 1}}), {{"a", 4, ""}}) ==
        "100.0% of the teacher's FLOPs in 1 span");
  // Unit times: the covered share, none without a usable table.
  CHECK(covered_share({1.0, 2.0, 3.0, 4.0}, {{1, 3}}) == doctest::Approx(0.5));
  CHECK_FALSE(covered_share({0.0, 0.0}, {{0, 1}}));
  CHECK_FALSE(covered_share({}, {{0, 1}}));
  // The stored record round-trips; anything else is a HouseError.
  const std::vector<UnitCost> back = units_from_json(units_to_json(units));
  REQUIRE(back.size() == units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    CHECK(back[i].name == units[i].name);
    CHECK(back[i].flops == units[i].flops);
    CHECK(back[i].not_coverable == units[i].not_coverable);
  }
  CHECK(contains(house_error([] { units_from_json("{\"name\": 3}"); }), "meta 'units' is not a list of units"));
  CHECK(contains(house_error([] { units_from_json("[{\"name\": \"a\"}]"); }), "meta 'units' is not a list of units"));
  CHECK(contains(house_error([] { units_from_json("not json"); }), "meta 'units' is not a list of units"));
}

TEST_CASE("house store: write_file_atomically replaces whole files and leaves no temporary file") {
  const test::ScratchDir scratch("house-atomic");
  const std::string path = scratch.file("a.bspk");
  write_file_atomically(path, {1, 2, 3});
  write_file_atomically(path, {4, 5});
  CHECK(test::read_file_bytes(path) == std::vector<uint8_t>{4, 5});
  CHECK(read_file_bytes(path) == std::vector<uint8_t>{4, 5});
  CHECK(!fs::exists(path + ".tmp"));
  write_file_atomically(path, {});
  CHECK(fs::file_size(path) == 0);
  const std::string nowhere = scratch.file("no/such/folder/b.bspk");
  CHECK(house_error([&] { write_file_atomically(nowhere, {1}); }) ==
        nowhere + ": cannot write: No such file or directory");
  CHECK(house_error([&] { read_file_bytes(nowhere); }) == nowhere + ": cannot open");
}

TEST_CASE("house merge: shards with the same config join into one house") {
  const test::ScratchDir scratch("house-merge");
  const std::string a = scratch.file("shard-1-of-2"), b = scratch.file("shard-2-of-2"), out = scratch.file("merged");
  {
    HouseStore sa = new_house(a);
    HouseStore sb = new_house(b);
    sa.set_meta("shard", "1/2");
    sb.set_meta("shard", "2/2");
    sa.set_meta("teacher", "/models/teacher.onnx");
    put_with_file(sa, span(1, 3), {9, 9});
    put_with_file(sb, span(1, 3), {9, 9});  // both shards hold the span: same bytes
    put_with_file(sb, span(3, 5), {8});
    put_with_file(sa, done_alternative("s1-3/drop/identity", AlternativeKind::kDrop, 1, 3), {1});
    put_with_file(sb, done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3), {2, 2});
    AlternativeRecord failed = done_alternative("s3-5/low_rank/0.5", AlternativeKind::kLowRank, 3, 5);
    failed.status = ItemStatus::kFailed;
    failed.reason = "diverged";
    failed.file.clear();
    sb.put_alternative(failed);
  }
  merge_houses(out, {a, b});
  {
    const HouseStore merged = HouseStore::open(out, false);
    merged.check_files();
    CHECK(!merged.meta("shard"));
    CHECK(merged.meta("config") == config::to_toml(test::stored_config()));
    CHECK(merged.meta("teacher") == "/models/teacher.onnx");
    const std::vector<uint8_t> config_file = read_file_bytes(merged.path("config.toml"));
    CHECK(std::string(config_file.begin(), config_file.end()) == *merged.meta("config"));
    CHECK(merged.spans().size() == 2);
    const auto all = merged.alternatives();
    REQUIRE(all.size() == 3);
    CHECK(all[0].key == "s1-3/drop/identity");
    CHECK(all[1].key == "s1-3/pruned/0.5");
    CHECK(all[2].status == ItemStatus::kFailed);
    CHECK(test::read_file_bytes(merged.path("s1-3_pruned_0.5.bspk")) == std::vector<uint8_t>{2, 2});
    CHECK(test::read_file_bytes(merged.path("span-3-5.bspk")) == std::vector<uint8_t>{8});
    for (const auto& entry : fs::directory_iterator(out)) CHECK(entry.path().extension() != ".tmp");
  }
  // Running it again changes nothing; the merged house may take part as an input elsewhere.
  merge_houses(out, {a, b});
  CHECK(HouseStore::open(out, false).alternatives().size() == 3);
  merge_houses(scratch.file("again"), {out, a});
  CHECK(HouseStore::open(scratch.file("again"), false).alternatives().size() == 3);
}

TEST_CASE("a merge keeps latency tables") {
  const test::ScratchDir scratch("house-merge-latency");
  const std::string a = scratch.file("shard-0-of-2"), b = scratch.file("shard-1-of-2"), out = scratch.file("merged");
  const latency::Fingerprint device{"Cortex-A72", 4, "neon", 7, "auto -> xnnpack 9", 1};
  const std::string how = "backend=auto threads=1 warmup=5 runs=20 rounds=1 seed=0\n";
  std::vector<std::string> expected_measurements;
  {
    HouseStore sa = new_house(a);
    HouseStore sb = new_house(b);
    put_with_file(sa, done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3), {1});
    put_with_file(sb, done_alternative("s3-5/low_rank/0.5", AlternativeKind::kLowRank, 3, 5), {2});
    // Both shards profiled the same board: the plain teacher agrees, the
    // profiled teacher does not (two profiles), and each has its own probe.
    profile_shard(sa, device, how + "s1-3/pruned/0.5\n", 0.6, {{"s1-3/pruned/0.5", 0.11}});
    profile_shard(sb, device, how + "s3-5/low_rank/0.5\n", 0.62, {{"s3-5/low_rank/0.5", 0.07}});
    expected_measurements = measurement_lines(sa);
    for (const std::string& line : measurement_lines(sb))
      if (!contains(line, latency::kTeacherProfiled)) expected_measurements.push_back(line);
    std::sort(expected_measurements.begin(), expected_measurements.end());
    expected_measurements.erase(std::unique(expected_measurements.begin(), expected_measurements.end()),
                                expected_measurements.end());
    REQUIRE(expected_measurements.size() == 4);  // the plain teacher once, a's profiled teacher, both probes
  }
  const MergeReport report = merge_houses(out, {a, b});
  CHECK(report.latency_targets == 1);
  const std::string ia = a + "/house.sqlite", ib = b + "/house.sqlite";
  CHECK(has_note(report, "target 'board': 1 measurement(s) of " + ib +
                             " differ from the ones kept and are left out (round 0 'teacher/profiled' kept from " + ia +
                             ")"));
  CHECK(has_note(report, "the table of " + ib + " is left out, the one of " + ia + " is kept"));
  CHECK(has_note(report, "has no latency for 1 alternative(s) of the merged house"));
  const auto check_merged = [&](const std::string& dir) {
    HouseStore merged = HouseStore::open(dir, false);
    HouseStore sa = HouseStore::open(a, false);
    // The target row as the first shard's: the profiler compares device and
    // settings text, and reuses a (round, probe) it finds.
    const std::optional<latency::TargetRecord> target = latency::LatencyStore(merged).target("board");
    REQUIRE(target);
    CHECK(target->device == device);
    CHECK(target->settings == latency::LatencyStore(sa).target("board")->settings);
    CHECK(target->complete);
    CHECK(measurement_lines(merged) == expected_measurements);
    CHECK(latency::profiled_targets(merged) == std::vector<std::string>{"board"});
    const latency::LatencyTable table = latency::load_latency_table(merged, "board");
    check_same_table(table, latency::load_latency_table(sa, "board"));
    // Keys are copied unchanged: what the table and the probes name are the merged house's alternatives.
    for (const auto& [key, figures] : table.alternatives) CHECK(merged.find(key));
    for (const latency::ProbeMeasurement& m : latency::LatencyStore(merged).measurements("board"))
      if (m.probe != latency::kTeacherEndToEnd && m.probe != latency::kTeacherProfiled) CHECK(merged.find(m.probe));
  };
  check_merged(out);
  // Run again, and with the merged house as an input: the same rows, the
  // existing output's table is never replaced.
  merge_houses(out, {a, b});
  check_merged(out);
  CHECK(!has_note(merge_houses(scratch.file("again"), {out, a}), "left out"));
  check_merged(scratch.file("again"));

  // A shard of the same target name from another board is refused, naming both files and the target.
  const std::string c = scratch.file("other-board");
  {
    HouseStore sc = new_house(c);
    put_with_file(sc, done_alternative("s3-5/low_rank/0.5", AlternativeKind::kLowRank, 3, 5), {2});
    latency::Fingerprint other = device;
    other.cpu = "Cortex-A53";
    profile_shard(sc, other, how + "s3-5/low_rank/0.5\n", 0.9, {{"s3-5/low_rank/0.5", 0.2}});
  }
  const std::string refused = house_error([&] { merge_houses(scratch.file("mixed"), {a, c}); });
  CHECK(refused == c + "/house.sqlite: target 'board' was profiled on another device than in " + ia +
                       " (Cortex-A53, 4 cores, neon, runtime 7, backend auto -> xnnpack 9, 1 thread(s) against "
                       "Cortex-A72, 4 cores, neon, runtime 7, backend auto -> xnnpack 9, 1 thread(s)); a merge never "
                       "mixes devices: profile one of them under another target name");
  CHECK(!fs::exists(scratch.file("mixed")));  // refused before anything was written
  // Into an output that already holds the other board's profile: refused too, the output unchanged.
  CHECK(contains(house_error([&] { merge_houses(out, {c}); }), "target 'board' was profiled on another device"));
  check_merged(out);

  // The same board measured with other settings is no more comparable.
  const std::string d = scratch.file("other-settings");
  {
    HouseStore sd = new_house(d);
    profile_shard(sd, device, "backend=auto threads=1 warmup=5 runs=30 rounds=1 seed=0\n", 0.6, {});
  }
  CHECK(house_error([&] {
          merge_houses(scratch.file("mixed"), {a, d});
        }) == d + "/house.sqlite: target 'board' was measured with other settings than in " + ia +
                  " (backend=auto threads=1 warmup=5 runs=30 rounds=1 seed=0 against backend=auto threads=1 warmup=5 "
                  "runs=20 rounds=1 seed=0): profile one of them again with the other's [profile] settings");
}

TEST_CASE("house merge: refuses different configs, conflicting keys and broken inputs") {
  const test::ScratchDir scratch("house-merge-bad");
  const std::string a = scratch.file("a"), b = scratch.file("b"), c = scratch.file("c"), out = scratch.file("out");
  {
    HouseStore sa = new_house(a);
    put_with_file(sa, done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3), {1, 2, 3});
    HouseStore sb = new_house(b, 9);  // house.spans = 9
    put_with_file(sb, done_alternative("s3-5/drop/identity", AlternativeKind::kDrop, 3, 5), {4});
    HouseStore sc = new_house(c);
    put_with_file(sc, done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3), {1, 2, 4});
  }
  CHECK(house_error([&] {
          merge_houses(out, {a, b});
        }) == b + ": built from a different config than " + a + ": house.spans: 8 -> 9");
  CHECK(house_error([&] {
          merge_houses(out, {a, c});
        }) == "'s1-3/pruned/0.5' differs between " + a + " and " + c + " (status, reason or file bytes)");
  CHECK(!fs::exists(out + "/house.sqlite"));  // refused before anything was written
  CHECK(house_error([&] { merge_houses(out, {a, a}); }) == a + ": listed twice");
  CHECK(house_error([&] { merge_houses(a, {a}); }) == a + ": is the output folder too");
  CHECK(house_error([&] {
          merge_houses(out, {a, scratch.file("none")});
        }) == scratch.file("none") + ": no such folder");
  fs::remove(c + "/s1-3_pruned_0.5.bspk");
  CHECK(house_error([&] {
          merge_houses(out, {a, c});
        }) == c + "/s1-3_pruned_0.5.bspk: missing (referenced by alternative 's1-3/pruned/0.5')");
  HouseStore::open(scratch.file("bare"), true);  // no config: not made by house build
  CHECK(house_error([&] { merge_houses(out, {scratch.file("bare")}); }) ==
        scratch.file("bare") + "/house.sqlite: no config in meta (not written by bespoke-opt house build)");
}

}  // namespace bespoke::house
