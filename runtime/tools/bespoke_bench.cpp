// bespoke-bench: measures a .bspk model's latency on this machine: median,
// p90 and minimum over timed runs (after warm-up), per-block medians from
// the runtime's profiler, load time, memory, backend and CPU. --json prints
// one JSON object (the latency report the optimizer consumes).
//
//   bespoke-bench model.bspk [--backend B] [--threads N] [--warmup W] [--runs R]
//                 [--ops] [--no-profile] [--json]
//
// The profiler costs two clock reads per operator; --no-profile times the
// runs without it (and reports no blocks), --ops adds per-operator medians.
//
//   bespoke-bench --manifest DIR/manifest.json --json
// measures an offline profile bundle instead (bench_manifest.h,
// docs/profile-bundle.md): every model with the manifest's settings.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "bench_manifest.h"
#include "common/cpu_description.h"
#include "common/statistics.h"
#include "common/tool_main.h"
#include "common/tool_support.h"

namespace bt = bespoke::tools;
using bt::median;
using bt::percentile;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kTool = "bespoke-bench";

struct Args {
  std::string model;
  std::string backend = "auto";
  int threads = 1;
  int warmup = 5;
  int runs = 30;
  uint32_t seed = 0;
  bool json = false;
  bool ops = false;
  bool no_profile = false;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Per-run times of every entry of one profile level (blocks or operators).
struct ProfileSeries {
  std::vector<bespoke::ProfileEntry> entries;
  std::vector<std::vector<double>> ms;  // per entry, per run

  void start(const bespoke::Session& session, bsp_profile_level level) {
    entries = session.profile(level);
    ms.assign(entries.size(), {});
  }
  void add_run(const bespoke::Session& session, bsp_profile_level level) {
    const auto latest = session.profile(level);
    for (size_t e = 0; e < latest.size() && e < ms.size(); ++e) {
      ms[e].push_back(static_cast<double>(latest[e].last_ns) * 1e-6);
    }
  }
};

struct Report {
  double load_ms = 0, create_ms = 0;
  std::vector<double> run_ms;
  ProfileSeries blocks, ops;
  std::vector<bespoke::BackendUsage> backends;  // what runs, most operators first
  size_t arena_bytes = 0, weights_bytes = 0;
};

Report measure(const Args& args) {
  Report r;
  auto start = Clock::now();
  bespoke::Model model = bespoke::Model::load_file(args.model);
  r.load_ms = ms_since(start);
  start = Clock::now();
  bespoke::Session session(model, bespoke::SessionOptions()
                                      .backend(bt::parse_backend(args.backend))
                                      .threads(args.threads)
                                      .profiling(!args.no_profile));
  r.create_ms = ms_since(start);
  for (size_t i = 0; i < model.input_count(); ++i) {
    session.set_input(i, bt::random_input(model.input(i), args.seed + static_cast<uint32_t>(i)).data);
  }
  for (int i = 0; i < args.warmup; ++i) session.run();
  if (!args.no_profile) {
    session.reset_profile();
    r.blocks.start(session, BSP_PROFILE_BLOCKS);
    if (args.ops) r.ops.start(session, BSP_PROFILE_OPERATORS);
  }
  r.run_ms.reserve(static_cast<size_t>(args.runs));
  for (int i = 0; i < args.runs; ++i) {
    start = Clock::now();
    session.run();
    r.run_ms.push_back(ms_since(start));
    if (args.no_profile) continue;
    r.blocks.add_run(session, BSP_PROFILE_BLOCKS);
    if (args.ops) r.ops.add_run(session, BSP_PROFILE_OPERATORS);
  }
  r.backends = session.backend_usage();
  r.arena_bytes = session.arena_bytes();
  r.weights_bytes = session.weights_bytes();
  return r;
}

nlohmann::ordered_json series_json(const ProfileSeries& series, bool with_kind) {
  auto list = nlohmann::ordered_json::array();
  for (size_t e = 0; e < series.entries.size(); ++e) {
    const bespoke::ProfileEntry& entry = series.entries[e];
    nlohmann::ordered_json item{{"id", entry.id}, {"name", entry.name}};
    if (with_kind) item["kind"] = entry.kind;
    item["backend"] = entry.backend;
    item["median_ms"] = median(series.ms[e]);
    list.push_back(std::move(item));
  }
  return list;
}

void print_json(const Args& args, Report& r, const bt::CpuDescription& cpu) {
  nlohmann::ordered_json j;
  j["model"] = args.model;
  j["backend"] = args.backend;  // as requested; "backends" says what runs
  auto backends = nlohmann::ordered_json::object();
  for (const bespoke::BackendUsage& usage : r.backends) backends[usage.backend] = usage.operators;
  j["backends"] = backends;
  j["threads"] = args.threads;
  j["warmup"] = args.warmup;
  j["runs"] = args.runs;
  j["median_ms"] = median(r.run_ms);
  j["p90_ms"] = percentile(r.run_ms, 90);
  j["min_ms"] = *std::min_element(r.run_ms.begin(), r.run_ms.end());
  j["load_ms"] = r.load_ms + r.create_ms;  // file to a session ready to run
  j["file_load_ms"] = r.load_ms;
  j["session_create_ms"] = r.create_ms;
  j["arena_bytes"] = r.arena_bytes;
  j["weights_bytes"] = r.weights_bytes;
  j["cpu"] = cpu.name;
  j["cpu_cores"] = cpu.cores;
  j["isa"] = cpu.isa;
  j["available_backends"] = bespoke::available_backends();
  j["runtime_version"] = bsp_runtime_version();
  j["profiled"] = !args.no_profile;
  j["blocks"] = series_json(r.blocks, false);
  if (args.ops) j["ops"] = series_json(r.ops, true);
  std::cout << j.dump() << std::endl;
}

void print_text(const Args& args, Report& r, const bt::CpuDescription& cpu) {
  std::printf("model      %s\n", args.model.c_str());
  std::printf("cpu        %s (%d cores; %s)\n", cpu.name.c_str(), cpu.cores, cpu.isa.c_str());
  std::printf("backend    %s  threads %d  (available: %s)\n", bt::describe_backends(args.backend, r.backends).c_str(),
              args.threads, bespoke::available_backends().c_str());
  std::printf("load       %.3f ms  (file %.3f ms, session %.3f ms)\n", r.load_ms + r.create_ms, r.load_ms, r.create_ms);
  std::printf("memory     arena %zu bytes  weights %zu bytes\n", r.arena_bytes, r.weights_bytes);
  const double med = median(r.run_ms);
  const double p90 = percentile(r.run_ms, 90);
  std::printf("latency    median %.3f ms  p90 %.3f ms  min %.3f ms  (%d runs, %d warm-up)\n", med, p90,
              *std::min_element(r.run_ms.begin(), r.run_ms.end()), args.runs, args.warmup);
  if (args.no_profile) std::printf("(not profiled: no per-block times)\n");
  for (size_t b = 0; b < r.blocks.entries.size(); ++b) {
    const bespoke::ProfileEntry& block = r.blocks.entries[b];
    std::printf("  block %-4u %-32s %-10s %.3f ms\n", block.id, block.name.c_str(), block.backend.c_str(),
                median(r.blocks.ms[b]));
  }
  for (size_t o = 0; o < r.ops.entries.size(); ++o) {
    const bespoke::ProfileEntry& op = r.ops.entries[o];
    std::printf("  op %-5u %-34s %-18s %-10s %.3f ms\n", op.id, op.name.c_str(), op.kind.c_str(), op.backend.c_str(),
                median(r.ops.ms[o]));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Measures the latency of a .bspk model on this machine.\n"
      "Exit codes: 0 ok, 2 bad arguments, 10 + bsp_status for runtime errors."};
  Args args;
  std::string manifest;
  auto* model = app.add_option("model", args.model, "the .bspk model");
  app.add_option("--manifest", manifest, "measure an offline profile bundle (its manifest.json) and print the report")
      ->excludes(model);
  app.add_option("-b,--backend", args.backend, "auto, reference, xnnpack or onednn")
      ->check(CLI::IsMember(bt::backend_names()));
  app.add_option("-t,--threads", args.threads, "threads (0 = all cores)")->check(CLI::Range(0, 1024));
  app.add_option("-w,--warmup", args.warmup, "untimed runs first")->check(CLI::Range(0, 100000));
  app.add_option("-r,--runs", args.runs, "timed runs")->check(CLI::Range(1, 1000000));
  app.add_option("--seed", args.seed, "seed of the random inputs");
  auto* ops = app.add_flag("--ops", args.ops, "also report per-operator medians");
  app.add_flag("--no-profile", args.no_profile, "time the runs with the profiler off (no per-block times)")
      ->excludes(ops);
  app.add_flag("--json", args.json, "print one JSON object");
  return bt::run_tool(kTool, app, argc, argv, [&] {
    if (!manifest.empty()) {
      bt::bench_manifest(manifest);  // always JSON: the report is for bespoke-opt profile import
      return 0;
    }
    if (args.model.empty()) return bt::report_error(kTool, "a model (or --manifest) is required", bt::kExitUsage);
    Report report = measure(args);
    const bt::CpuDescription cpu = bt::describe_cpu();
    if (args.json) {
      print_json(args, report, cpu);
    } else {
      print_text(args, report, cpu);
    }
    return 0;
  });
}
