// bespoke-opt house status | list [--json] | export | merge run as processes
// on houses the test writes through HouseStore, with small real .bspk files;
// and every kind of bad store: exit status 1 and one line naming the file.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/run_tool.h"

#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "house/house_coverage.h"
#include "house/house_store.h"
#include "ir/passes.h"
#include "latency/latency_store.h"
#include "support/data_test_util.h"
#include "support/graph_builder.h"
#include "support/store_test_util.h"

namespace bespoke::house {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs bespoke-opt with `arguments` (already quoted), stderr kept apart.
Outcome bespoke_opt(const test::ScratchDir& scratch, const std::string& arguments) {
  const bespoke::test::ToolRun r =
      bespoke::test::run_tool(BESPOKE_OPT_PATH, arguments, fs::path(scratch.file("runs")).parent_path().string());
  return {r.exit_code, r.out, r.err};
}

std::string q(const std::string& path) { return "'" + path + "'"; }

// A real .bspk: x[1, c, 4, 4] -> Relu -> Sigmoid.
std::vector<uint8_t> tiny_bspk(int64_t channels) {
  test::GraphBuilder b;
  b.g.name = "tiny";
  const int x = b.input("x", {1, channels, 4, 4});
  b.output(b.op("Sigmoid", {b.op("Relu", {x})}));
  ir::infer_shapes(b.g);
  return exporter::write_bspk(b.g);
}

SpanRecord span_record(int a, int b) {
  SpanRecord s;
  s.cut_begin = a;
  s.cut_end = b;
  s.units = "u" + std::to_string(a);
  s.input_shape = s.output_shape = "1x2x4x4";
  s.file = "span-" + std::to_string(a) + "-" + std::to_string(b) + ".bspk";
  return s;
}

// A house over spans [1, 3] and [3, 5]: two drops (one the identity, without
// a file) and pruned done, low_rank failed in the first span, pretrained done
// in the second. `which` selects a shard:
// 0 = everything, 1 = span [1, 3] only, 2 = span [3, 5] only.
void write_house(const std::string& dir, int which = 0) {
  HouseStore store = test::new_house(dir);
  if (which == 1) store.set_meta("shard", "1/2");
  if (which == 2) store.set_meta("shard", "2/2");
  if (which != 2) {
    test::put_with_file(store, span_record(1, 3), tiny_bspk(2));
    test::put_with_file(store, test::done_alternative("s1-3/drop/2-3", AlternativeKind::kDrop, 1, 3), tiny_bspk(3));
    AlternativeRecord identity = test::done_alternative("s1-3/drop/identity", AlternativeKind::kDrop, 1, 3);
    identity.params = identity.flops = identity.macs = 0;
    identity.file.clear();  // no operators, no file
    store.put_alternative(identity);
    AlternativeRecord pruned = test::done_alternative("s1-3/pruned/0.5", AlternativeKind::kPruned, 1, 3);
    pruned.ratio = 0.5;
    pruned.rel_mse = 0.0625;
    test::put_with_file(store, pruned, tiny_bspk(4));
    AlternativeRecord failed = test::done_alternative("s1-3/low_rank/0.25", AlternativeKind::kLowRank, 1, 3);
    failed.status = ItemStatus::kFailed;
    failed.reason = "distillation diverged (loss nan at step 3)";
    failed.rel_mse = NAN;
    failed.file.clear();
    store.put_alternative(failed);
  }
  if (which != 1) {
    test::put_with_file(store, span_record(3, 5), tiny_bspk(5));
    AlternativeRecord pretrained =
        test::done_alternative("s3-5/pretrained/det/4-6", AlternativeKind::kPretrained, 3, 5);
    pretrained.origin_model = "/models/det.onnx";
    pretrained.adapters = "in: conv1x1 2->16; out: conv1x1 16->2";
    test::put_with_file(store, pretrained, tiny_bspk(6));
  }
}

}  // namespace

TEST_CASE("house status and list show what a house holds") {
  const test::ScratchDir scratch("house-cli");
  const std::string dir = scratch.file("house");
  write_house(dir);

  const Outcome status = bespoke_opt(scratch, "house status " + q(dir));
  CHECK(status.status == 0);
  CHECK(status.err.empty());
  CHECK(status.out.find("(schema 2, whole)") != std::string::npos);
  CHECK(status.out.find("teacher       /models/teacher.onnx") != std::string::npos);
  CHECK(status.out.find("2 sampled teacher spans") != std::string::npos);
  CHECK(status.out.find("alternatives  5: 4 done, 1 failed") != std::string::npos);
  CHECK(status.out.find("drop              2        0            0.125") != std::string::npos);
  CHECK(status.out.find("pruned            1        0           0.0625") != std::string::npos);
  CHECK(status.out.find("low_rank          0        1                -") != std::string::npos);
  // Coverage needs the per-unit record the build stores; a house without it says so.
  CHECK(status.out.find("coverage      not recorded") != std::string::npos);
  {
    HouseStore store = HouseStore::open(dir, false);
    const std::string head = "input or output not a feature map";
    store.set_meta(kUnitsMeta, units_to_json({{"u0", 10, ""},
                                              {"u1", 20, ""},
                                              {"u2", 30, ""},
                                              {"u3", 40, ""},
                                              {"u4", 50, ""},
                                              {"u5", 5, head},
                                              {"u6", 1, head}}));
    // A profiled target: unit times 1..7 ms, the spans [1, 3] and [3, 5] cover units 1..4 (14 of 28 ms).
    latency::LatencyStore ls(store);
    const latency::Fingerprint device{"cpu", 2, "avx2", 1, "reference 9", 1};
    ls.start_target({"pc-1t", device, "settings", false});
    latency::LatencyTable table;
    table.target = "pc-1t";
    table.device = device;
    table.teacher_ms = 28.0;
    table.unit_ms = {1, 2, 3, 4, 5, 6, 7};
    table.unit_weights_bytes = std::vector<uint64_t>(7, 0);
    ls.put_table(table);
  }
  const Outcome covered = bespoke_opt(scratch, "house status " + q(dir));
  CHECK(covered.status == 0);
  // Units 1..4 hold 140 of the 156 FLOPs.
  CHECK(covered.out.find("coverage      89.7% of the teacher's FLOPs in 2 spans (units not coverable: 5, 6 \u2014 the "
                         "head, input or output not a feature map; units not covered: 0)\n") != std::string::npos);
  CHECK(covered.out.find("              50.0% of the profiled latency on pc-1t\n") != std::string::npos);

  const Outcome listed = bespoke_opt(scratch, "house list --json " + q(dir));
  REQUIRE(listed.status == 0);
  const json all = json::parse(listed.out);
  REQUIRE(all.is_array());
  REQUIRE(all.size() == 5);
  const json& pruned = all[3];  // ordered by key
  CHECK(pruned["id"] == "s1-3/pruned/0.5");
  CHECK(pruned["key"] == "s1-3/pruned/0.5");
  CHECK(pruned["kind"] == "pruned");
  CHECK(pruned["cut_begin"] == 1);
  CHECK(pruned["cut_end"] == 3);
  CHECK(pruned["params"] == 1001);
  CHECK(pruned["flops"] == 20003);
  CHECK(pruned["status"] == "done");
  CHECK(pruned["rel_mse"] == 0.0625);
  CHECK(pruned["ratio"] == 0.5);
  CHECK(pruned["file"] == "s1-3_pruned_0.5.bspk");
  const json& failed = all[2];
  CHECK(failed["kind"] == "low_rank");
  CHECK(failed["status"] == "failed");
  CHECK(failed["rel_mse"].is_null());
  CHECK(failed["reason"] == "distillation diverged (loss nan at step 3)");
  CHECK(failed["file"] == "");
  const json& identity = all[1];
  CHECK(identity["id"] == "s1-3/drop/identity");
  CHECK(identity["status"] == "done");
  CHECK(identity["params"] == 0);
  CHECK(identity["file"] == "");
  CHECK(all[4]["kind"] == "pretrained");
  CHECK(all[4]["adapters"] == "in: conv1x1 2->16; out: conv1x1 16->2");

  const Outcome table = bespoke_opt(scratch, "house list " + q(dir));
  CHECK(table.status == 0);
  CHECK(table.out.find("s3-5/pretrained/det/4-6") != std::string::npos);
  CHECK(table.out.find("distillation diverged") != std::string::npos);
  CHECK(table.out.find("5 alternatives") != std::string::npos);

  CHECK(bespoke_opt(scratch, "house list").status == 2);  // usage
}

TEST_CASE("house export copies the runnable files with a manifest") {
  const test::ScratchDir scratch("house-cli-export");
  const std::string dir = scratch.file("house"), out = scratch.file("device");
  write_house(dir);
  const Outcome exported = bespoke_opt(scratch, "house export " + q(dir) + " " + q(out));
  REQUIRE(exported.status == 0);
  CHECK(exported.out.find("exported 5 files") != std::string::npos);

  std::ifstream manifest_file(out + "/manifest.json");
  const json manifest = json::parse(manifest_file);
  CHECK(manifest["format"] == "bespoke-house-export");
  CHECK(manifest["schema_version"] == house::HouseStore::kSchemaVersion);
  CHECK(manifest["config_hash"].get<std::string>().rfind("fnv1a64:", 0) == 0);
  REQUIRE(manifest["files"].size() == 5);  // 2 spans + 3 done alternatives with a file
  CHECK(manifest["files"][0]["key"] == "s1-3/teacher");
  CHECK(manifest["files"][0]["kind"] == "teacher_span");
  for (const json& entry : manifest["files"]) {
    const std::string file = entry["file"];
    const std::vector<uint8_t> bytes = test::read_file_bytes(out + "/" + file);
    CHECK(bytes == test::read_file_bytes(dir + "/" + file));
    CHECK(entry["size"] == bytes.size());
    CHECK(exporter::read_bspk(bytes.data(), bytes.size()).nodes.size() == 2);  // a runnable model
    CHECK(entry["kind"] != "low_rank");                                        // the failed one has no file
  }
  CHECK(bespoke_opt(scratch, "house export " + q(dir) + " " + q(dir)).status == 2);
}

TEST_CASE("house merge joins shards into the house built whole") {
  const test::ScratchDir scratch("house-cli-merge");
  const std::string whole = scratch.file("whole"), a = scratch.file("shard-1-of-2"), b = scratch.file("shard-2-of-2");
  write_house(whole);
  write_house(a, 1);
  write_house(b, 2);
  const std::string merged = scratch.file("merged");
  const Outcome m = bespoke_opt(scratch, "house merge " + q(merged) + " " + q(a) + " " + q(b));
  REQUIRE(m.status == 0);
  CHECK(m.out.find("2 spans, 5 alternatives") != std::string::npos);

  // Same rows (timings included, as the shards wrote them) and the same bytes.
  json from_whole = json::parse(bespoke_opt(scratch, "house list --json " + q(whole)).out);
  json from_merged = json::parse(bespoke_opt(scratch, "house list --json " + q(merged)).out);
  CHECK(from_merged == from_whole);
  for (const json& entry : from_merged) {
    const std::string file = entry["file"];
    if (!file.empty()) CHECK(test::read_file_bytes(merged + "/" + file) == test::read_file_bytes(whole + "/" + file));
  }
  CHECK(bespoke_opt(scratch, "house status " + q(merged)).out.find("whole") != std::string::npos);

  // A house of another config is refused, naming the key.
  const std::string other = scratch.file("other");
  test::new_house(other, 3);
  const Outcome refused = bespoke_opt(scratch, "house merge " + q(scratch.file("m2")) + " " + q(a) + " " + q(other));
  CHECK(refused.status == 1);
  CHECK(refused.err ==
        "bespoke-opt house merge: " + other + ": built from a different config than " + a + ": house.spans: 8 -> 3\n");
}

TEST_CASE("house commands refuse bad stores with one line naming the file") {
  const test::ScratchDir scratch("house-cli-bad");
  const std::string index = "/house.sqlite";
  // Each bad store and the file its error must name.
  std::vector<std::pair<std::string, std::string>> bad;
  test::write_file_bytes(scratch.file("a-file"), {1, 2});
  bad.emplace_back(scratch.file("a-file"), scratch.file("a-file") + ": not a folder");
  fs::create_directories(scratch.file("no-index"));
  bad.emplace_back(scratch.file("no-index"), scratch.file("no-index") + ": not a model house (no house.sqlite)");
  fs::create_directories(scratch.file("garbage"));
  test::write_file_bytes(scratch.file("garbage") + index, std::vector<uint8_t>(4096, 0x5a));
  bad.emplace_back(scratch.file("garbage"),
                   scratch.file("garbage") + index + ": not a model house (not an SQLite database)");
  const std::string truncated = scratch.file("truncated");
  write_house(truncated);
  {
    HouseStore store = HouseStore::open(truncated, false);
    for (int i = 0; i < 100; ++i) store.set_meta("note" + std::to_string(i), std::string(500, 'n'));
  }
  const std::vector<uint8_t> full = test::read_file_bytes(truncated + index);
  test::write_file_bytes(truncated + index,
                         std::vector<uint8_t>(full.begin(), full.begin() + static_cast<long>(full.size() / 3)));
  bad.emplace_back(truncated, truncated + index + ": corrupt");
  const std::string newer = scratch.file("newer");
  write_house(newer);
  HouseStore::open(newer, false).set_meta("schema_version", "7");
  bad.emplace_back(newer, newer + index + ": schema version 7 is newer than this program's (2)");
  const std::string missing = scratch.file("missing");
  write_house(missing);
  fs::remove(missing + "/s1-3_pruned_0.5.bspk");
  bad.emplace_back(missing, missing + "/s1-3_pruned_0.5.bspk: missing (referenced by alternative 's1-3/pruned/0.5')");

  // Every command on two of them, status and list on all (each run starts a process that loads LibTorch).
  for (size_t i = 0; i < bad.size(); ++i) {
    const auto& [dir, message] = bad[i];
    std::vector<std::string> commands = {"status", "list --json"};
    if (i == 2 || i == 5) commands.push_back("export");
    for (const std::string& command : commands) {
      const std::string extra = command == "export" ? " " + q(scratch.file("out")) : "";
      const Outcome o = bespoke_opt(scratch, "house " + command + " " + q(dir) + extra);
      CAPTURE(dir);
      CAPTURE(command);
      CHECK(o.status == 1);
      CHECK(o.out.empty());
      CHECK(o.err.find(message) != std::string::npos);
      CHECK(o.err.find('\n') == o.err.size() - 1);  // one line
    }
    if (i != 2 && i != 5) continue;
    const Outcome m = bespoke_opt(scratch, "house merge " + q(scratch.file("merged")) + " " + q(dir));
    CHECK(m.status == 1);
    CHECK(m.err.find(message) != std::string::npos);
  }
}

}  // namespace bespoke::house
