// latency/ without a built house: probe packing against an independent
// lower bound, predict() against sums done by hand, the store's round trip
// and resumption records, the schema migration of a version-1 house, SHA-256
// against a known digest, and the device links: a stitched-free teacher run
// locally and through a real agent on loopback gives the same outputs bit
// for bit (the numerics a student is accepted with on its device).
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <cstring>
#include <fstream>
#include <set>

#include "agent/running_agent.h"
#include "export/bspk_writer.h"
#include "house/house_store.h"
#include "latency/device_link.h"
#include "latency/latency_error.h"
#include "latency/latency_store.h"
#include "latency/prediction_check.h"
#include "latency/probe_plan.h"
#include "latency/sha256.h"
#include "latency/table_builder.h"
#include "onnx_import/onnx_importer.h"
#include "random/seeded_random.h"
#include "support/data_test_util.h"

namespace bespoke {

namespace {

using house::AlternativeRecord;
using house::ItemStatus;

AlternativeRecord alternative(const std::string& key, int begin, int end, bool with_file = true) {
  AlternativeRecord a;
  a.key = key;
  a.cut_begin = begin;
  a.cut_end = end;
  a.status = ItemStatus::kDone;
  a.file = with_file ? key + ".bspk" : "";
  a.params = with_file ? 100 : 0;
  return a;
}

// The largest number of alternatives covering one unit: no packing can use fewer probes.
size_t max_cover(const std::vector<AlternativeRecord>& alternatives, int units) {
  size_t best = 0;
  for (int u = 0; u < units; ++u) {
    size_t n = 0;
    for (const AlternativeRecord& a : alternatives) n += (a.cut_begin <= u && u < a.cut_end) ? 1 : 0;
    best = std::max(best, n);
  }
  return best;
}

}  // namespace

TEST_CASE("probes: non-overlapping, every measurable alternative once, as few as the spans allow") {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    random::Random rng(seed);
    std::vector<AlternativeRecord> alternatives;
    const int units = 10;
    const size_t count = 1 + rng.below(30);
    for (size_t i = 0; i < count; ++i) {
      const int begin = static_cast<int>(rng.below(units));
      const int end = begin + 1 + static_cast<int>(rng.below(static_cast<uint64_t>(std::min(3, units - begin))));
      alternatives.push_back(alternative("a" + std::to_string(i), begin, end, rng.below(5) != 0));
    }
    alternatives.push_back(alternative("failed", 0, 2));
    alternatives.back().status = ItemStatus::kFailed;
    const std::vector<latency::Probe> probes = latency::plan_probes(alternatives);
    std::vector<AlternativeRecord> measurable;
    for (const AlternativeRecord& a : alternatives)
      if (a.status == ItemStatus::kDone && !latency::is_identity(a)) measurable.push_back(a);
    CAPTURE(seed);
    CHECK(probes.size() == max_cover(measurable, units));
    std::multiset<std::string> seen;
    for (const latency::Probe& p : probes) {
      std::vector<bool> used(units, false);
      std::string name;
      for (const std::string& key : p.keys) {
        seen.insert(key);
        name += (name.empty() ? "" : "+") + key;
        const auto a =
            std::find_if(alternatives.begin(), alternatives.end(), [&](const auto& r) { return r.key == key; });
        REQUIRE(a != alternatives.end());
        for (int u = a->cut_begin; u < a->cut_end; ++u) {
          CHECK(!used[static_cast<size_t>(u)]);
          used[static_cast<size_t>(u)] = true;
        }
      }
      CHECK(p.name == name);
    }
    CHECK(seen.size() == measurable.size());
    for (const AlternativeRecord& a : measurable) CHECK(seen.count(a.key) == 1);
  }
}

TEST_CASE("predict: kept units plus alternatives, with the teacher's end-to-end overhead; bad choices refused") {
  latency::LatencyTable t;
  t.target = "pc";
  t.teacher_ms = 1.1;
  t.unit_ms = {0.1, 0.2, 0.3, 0.4};  // sum 1.0
  t.unit_weights_bytes = {10, 20, 30, 40};
  t.teacher_weights_bytes = 100;
  t.teacher_arena_bytes = 1000;
  t.alternatives["x"] = {0.05, 2000, 5};
  t.alternatives["id"] = {0.0, 1000, 0};
  CHECK(latency::predict(t, {}).ms == doctest::Approx(1.1));
  CHECK(latency::predict(t, {}).memory_bytes == 1100);
  // Units 1-2 (0.5 ms) replaced by 0.05 ms.
  const latency::Prediction p = latency::predict(t, {{"x", 1, 3}, {"id", 3, 4}});
  CHECK(p.ms == doctest::Approx(1.1 - 0.5 + 0.05 - 0.4).epsilon(1e-9));
  CHECK(p.memory_bytes == 2000 + (100 - 20 - 30 - 40 + 5));
  CHECK_THROWS_AS(latency::predict(t, {{"nope", 0, 1}}), latency::LatencyError);
  CHECK_THROWS_AS(latency::predict(t, {{"x", 1, 3}, {"id", 2, 3}}), latency::LatencyError);
  CHECK_THROWS_AS(latency::predict(t, {{"x", 3, 5}}), latency::LatencyError);
}

TEST_CASE("random students fit: no overlap, known keys, distinct, reproducible") {
  std::vector<AlternativeRecord> alternatives;
  for (int b = 0; b < 8; ++b) alternatives.push_back(alternative("s" + std::to_string(b), b, b + 2));
  const auto students = latency::random_students(alternatives, 12, 5);
  CHECK(students.size() == 12);
  const auto again = latency::random_students(alternatives, 12, 5);
  REQUIRE(again.size() == students.size());
  for (size_t i = 0; i < students.size(); ++i) {
    REQUIRE(again[i].size() == students[i].size());
    for (size_t j = 0; j < students[i].size(); ++j) CHECK(again[i][j].key == students[i][j].key);
  }
  std::set<std::vector<std::string>> distinct;
  for (const auto& s : students) {
    std::vector<std::string> keys;
    for (size_t i = 0; i < s.size(); ++i) {
      keys.push_back(s[i].key);
      for (size_t j = 0; j < i; ++j) CHECK((s[i].cut_end <= s[j].cut_begin || s[j].cut_end <= s[i].cut_begin));
    }
    std::sort(keys.begin(), keys.end());
    distinct.insert(keys);
  }
  CHECK(distinct.size() == students.size());
}

TEST_CASE("latency store: measurements and the table survive reopening; start_target starts afresh") {
  const test::ScratchDir scratch("latency-store");
  const std::string dir = scratch.file("house");
  latency::Fingerprint device{"Test CPU", 4, "avx2", 7, "auto -> xnnpack 3", 1};
  {
    house::HouseStore store = house::HouseStore::open(dir, true);
    latency::LatencyStore ls(store);
    CHECK(!ls.target("pc"));
    ls.start_target({"pc", device, "settings", false});
    ls.put_measurement("pc", {0, "a+b", 0.5, 0.45, 100, 200, "xnnpack 3", {{0, "stem", 0.1}, {11, "a", 0.2}}});
    CHECK(ls.has_measurement("pc", 0, "a+b"));
    CHECK(!ls.has_measurement("pc", 1, "a+b"));
    CHECK(latency::profiled_targets(store).empty());
    CHECK_THROWS_WITH_AS(latency::load_latency_table(store, "pc"),
                         ("target pc is not profiled in " + dir + ": run bespoke-opt profile --target pc").c_str(),
                         latency::LatencyError);
    latency::LatencyTable t;
    t.target = "pc";
    t.device = device;
    t.teacher_ms = 0.25;
    t.teacher_drift = 0.03;
    t.unit_ms = {0.1, 0.15};
    t.unit_weights_bytes = {4, 8};
    t.teacher_arena_bytes = 64;
    t.teacher_weights_bytes = 12;
    t.alternatives["a"] = {0.07, 128, 400};
    ls.put_table(t);
  }
  house::HouseStore store = house::HouseStore::open(dir, false);
  latency::LatencyStore ls(store);
  const std::vector<latency::ProbeMeasurement> m = ls.measurements("pc");
  REQUIRE(m.size() == 1);
  CHECK(m[0].probe == "a+b");
  CHECK(m[0].reference_ms == 0.45);
  CHECK(m[0].blocks.size() == 2);
  CHECK(m[0].blocks[1].name == "a");
  CHECK(m[0].blocks[1].ms == 0.2);
  CHECK(latency::profiled_targets(store) == std::vector<std::string>{"pc"});
  const latency::LatencyTable t = latency::load_latency_table(store, "pc");
  CHECK(t.device == device);
  CHECK(t.teacher_ms == 0.25);
  CHECK(t.unit_ms == std::vector<double>{0.1, 0.15});
  CHECK(t.unit_weights_bytes == std::vector<uint64_t>{4, 8});
  CHECK(t.alternatives.at("a").ms == 0.07);
  CHECK(t.alternatives.at("a").weights_bytes == 400);
  ls.start_target({"pc", device, "other settings", false});
  CHECK(ls.measurements("pc").empty());
  CHECK(latency::profiled_targets(store).empty());
}

TEST_CASE("a version-1 house upgrades in place to the latency tables") {
  const test::ScratchDir scratch("latency-migration");
  const std::string dir = scratch.file("house");
  { house::HouseStore::open(dir, true).set_meta("teacher", "t.onnx"); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir + "/house.sqlite").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "DROP TABLE latency_targets; DROP TABLE latency_measurements; DROP TABLE latency_items; "
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version';",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  house::HouseStore store = house::HouseStore::open(dir, false);
  CHECK(store.meta("schema_version") == "2");
  CHECK(store.meta("teacher") == "t.onnx");
  latency::LatencyStore ls(store);
  ls.start_target({"pc", {}, "s", false});
  CHECK(ls.target("pc").has_value());
}

TEST_CASE("build_table: drift cancelled by the interleaved teacher, context effect shared, plain milliseconds") {
  const latency::ProbeHost host =
      latency::make_probe_host(onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx"));
  REQUIRE(host.analysis.units.size() == 10);
  const std::vector<AlternativeRecord> alternatives = {alternative("x", 0, 2), alternative("y", 5, 6),
                                                       alternative("id", 7, 8, false)};
  const std::vector<latency::Probe> probes = latency::plan_probes(alternatives);
  REQUIRE(probes.size() == 1);
  CHECK(probes[0].name == "x+y");
  // Round 2 ran with the device twice as slow: everything doubled, its reference too.
  std::vector<latency::ProbeMeasurement> m;
  for (int r = 0; r < 3; ++r) {
    const double slow = r == 2 ? 2.0 : 1.0;
    m.push_back({r, latency::kTeacherEndToEnd, 2.2 * slow, 0.0, 1000, 400, "", {}});
    latency::ProbeMeasurement t{r, latency::kTeacherProfiled, 2.0 * slow, 2.0 * slow, 1000, 400, "", {}};
    for (uint32_t u = 0; u < 10; ++u) t.blocks.push_back({u, "unit", 0.2 * slow});
    m.push_back(t);
    // x replaces units 0-1 (0.4 ms) by 0.1, y unit 5 (0.2) by 0.3; the probe
    // runs 0.1 ms faster than its blocks say (its context effect).
    latency::ProbeMeasurement p{r, "x+y", (2.0 - 0.4 + 0.1 - 0.2 + 0.3 - 0.1) * slow, 2.0 * slow, 2000, 300, "", {}};
    p.blocks = {{2, "unit", 0.2 * slow}, {10, "x", 0.1 * slow}, {11, "unit/y", 0.3 * slow}};
    m.push_back(p);
  }
  const latency::LatencyTable t = latency::build_table("pc", {}, host, alternatives, probes, 3, m);
  CHECK(t.teacher_ms == doctest::Approx(2.2));
  CHECK(t.teacher_drift == doctest::Approx(1.0));                  // (4.4 - 2.2) / 2.2
  for (double ms : t.unit_ms) CHECK(ms == doctest::Approx(0.22));  // 0.2 profiled * 2.2 / 2.0
  // Savings 0.3 (x) and 0.1 (y): x takes 3/4 of the -0.1 ms, y 1/4; then * 1.1.
  CHECK(t.alternatives.at("x").ms == doctest::Approx((0.1 - 0.075) * 1.1));
  CHECK(t.alternatives.at("y").ms == doctest::Approx((0.3 - 0.025) * 1.1));
  CHECK(t.alternatives.at("id").ms == 0.0);
  CHECK(t.alternatives.at("x").probe_arena_bytes == 2000);
  // The probe's own student is predicted as the probe measured (in plain ms).
  CHECK(latency::predict(t, {{"x", 0, 2}, {"y", 5, 6}}).ms == doctest::Approx(1.7 * 1.1));
  // A missing round is an incomplete profile.
  m.pop_back();
  CHECK_THROWS_WITH_AS(latency::build_table("pc", {}, host, alternatives, probes, 3, m),
                       "target pc: no measurement of probe 'x+y' in round 2 (the profile is incomplete)",
                       latency::LatencyError);
}

TEST_CASE("sha256 of known inputs") {
  CHECK(latency::sha256_hex(std::string()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(latency::sha256_hex(std::string("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("device links: the teacher run through an agent on loopback equals the local run bit for bit") {
  const test::ScratchDir scratch("latency-link");
  const std::vector<uint8_t> teacher =
      exporter::write_bspk(onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx"));
  test::RunningAgent running;
  {
    std::ofstream token(scratch.file("token"));
    token << test::kToken << "\n";
  }
  config::TargetConfig remote;
  remote.name = "loopback";
  remote.device = "agent";
  remote.address = running.address();
  remote.token_file = scratch.file("token");
  config::TargetConfig local = remote;
  local.device = "local";
  std::unique_ptr<latency::DeviceLink> a = latency::connect(remote);
  std::unique_ptr<latency::DeviceLink> l = latency::connect(local);
  CHECK(a->device().cpu == l->device().cpu);
  CHECK(a->device().runtime_version == l->device().runtime_version);

  agent::RunRequest run;
  run.model = teacher;
  run.settings.backend = "auto";
  run.inputs.push_back(agent::Tensor{"", {1, 1, 28, 28}, test::seeded_values(28 * 28, 9, 1.0f)});
  const agent::RunReply there = a->run(run);
  const agent::RunReply here = l->run(run);
  REQUIRE(there.outputs.size() == 1);
  REQUIRE(here.outputs.size() == 1);
  CHECK(there.outputs[0].dims == std::vector<int64_t>{1, 10});
  REQUIRE(there.outputs[0].data.size() == here.outputs[0].data.size());
  CHECK(std::memcmp(there.outputs[0].data.data(), here.outputs[0].data.data(), here.outputs[0].data.size() * 4) == 0);

  // A measurement has the same shape either way: one entry per round, per-block medians.
  agent::MeasureRequest m;
  m.models = {teacher};
  m.warmup = 1;
  m.runs = 3;
  m.rounds = 2;
  const agent::MeasureReply mt = a->measure(m), ml = l->measure(m);
  CHECK(mt.models.at(0).rounds.size() == 2);
  CHECK(mt.models.at(0).blocks.size() == ml.models.at(0).blocks.size());

  // A wrong token and an offline target are one clear error each.
  {
    std::ofstream token(scratch.file("wrong"));
    token << "not the token\n";
  }
  config::TargetConfig wrong = remote;
  wrong.token_file = scratch.file("wrong");
  CHECK_THROWS_AS(latency::connect(wrong), latency::LatencyError);
  config::TargetConfig offline = remote;
  offline.device = "offline";
  CHECK_THROWS_WITH_AS(latency::connect(offline),
                       "target loopback is offline (device = \"offline\"): use bespoke-opt profile export / import",
                       latency::LatencyError);
}

}  // namespace bespoke
