// bespoke-opt house eval: the test accuracy of the teacher with each finished
// alternative stitched in alone, without fine-tuning, through the runtime
// (house/house_evaluation.h). Prints a table per kind (median, worst and best
// accuracy, and the median change against the teacher) and writes every
// number to <house>/evaluation.json.
//
//   bespoke-opt house eval DIR [--split test|val] [--limit N] [--backend B] [--threads N] [--json]
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/subcommand.h"
#include "cli/torch/house_models.h"
#include "house/house_evaluation.h"
#include "house/house_store.h"

namespace bespoke::cli {

namespace {

struct EvalOptions {
  std::string dir;
  std::string split = "test";
  int64_t limit = 0;
  std::string backend = "auto";
  int threads = 1;
  bool json = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int run(const EvalOptions& o) {
  house::EvaluationOptions options;
  try {
    options.split = data::parse_split(o.split);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  options.limit = o.limit;
  options.backend = o.backend;
  options.threads = o.threads;
  const house::HouseStore store = house::HouseStore::open(o.dir, false);
  const auto text = store.meta("config");
  if (!text) throw house::HouseError(store.index_path() + ": no config (not a built house)");
  const config::OptimizerConfig config = config::parse_optimizer_config(*text, store.index_path() + " (meta config)",
                                                                        store.dir(), config::FileChecks::kNone);
  const ir::Graph teacher = load_teacher(config.teacher);
  const house::HouseAccuracy result = house::evaluate_house(
      store, config, teacher, options, [&](size_t done, size_t total, const house::AlternativeAccuracy& a) {
        if (!o.json) std::printf("  [%zu/%zu] %-48s %6.2f%%\n", done, total, a.key.c_str(), 100.0 * a.accuracy);
      });

  nlohmann::json report = {{"split", result.split},
                           {"samples", result.samples},
                           {"backend", o.backend},
                           {"metric", result.metric},
                           {"against_teacher", result.against_teacher},
                           {"teacher_accuracy", result.teacher_accuracy},
                           {"teacher_score", result.teacher_accuracy},
                           {"alternatives", nlohmann::json::array()}};
  std::map<std::string, std::vector<double>> by_kind;
  std::vector<double> all;
  for (const house::AlternativeAccuracy& a : result.alternatives) {
    report["alternatives"].push_back({{"key", a.key},
                                      {"kind", a.kind},
                                      {"params", a.params},
                                      {"flops", a.flops},
                                      {"rel_mse", a.rel_mse},
                                      {"accuracy", a.accuracy},
                                      {"score", a.accuracy}});
    by_kind[a.kind].push_back(a.accuracy);
    all.push_back(a.accuracy);
  }
  by_kind["all"] = all;
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [kind, v] : by_kind) {
    if (v.empty()) continue;
    kinds[kind] = {{"count", v.size()},
                   {"median_accuracy", median(v)},
                   {"min_accuracy", *std::min_element(v.begin(), v.end())},
                   {"max_accuracy", *std::max_element(v.begin(), v.end())}};
  }
  report["kinds"] = kinds;
  const std::string path = store.path("evaluation.json");
  const std::string dumped = report.dump(2) + "\n";
  house::write_file_atomically(path, std::vector<uint8_t>(dumped.begin(), dumped.end()));
  if (o.json) {
    std::cout << dumped;
    return kExitSuccess;
  }
  std::printf("teacher: %s %.2f%%%s on %lld %s images (runtime, backend %s)\n", result.metric.c_str(),
              100.0 * result.teacher_accuracy, result.against_teacher ? " (agreement with itself)" : "",
              static_cast<long long>(result.samples), result.split.c_str(), o.backend.c_str());
  std::printf("  %-11s %5s %9s %9s %9s %12s\n", "kind", "count", "median", "worst", "best", "median - teacher");
  for (const auto& [kind, k] : kinds.items()) {
    const double med = k["median_accuracy"].get<double>();
    std::printf("  %-11s %5zu %8.2f%% %8.2f%% %8.2f%% %+11.2f pt\n", kind.c_str(), k["count"].get<size_t>(),
                100.0 * med, 100.0 * k["min_accuracy"].get<double>(), 100.0 * k["max_accuracy"].get<double>(),
                100.0 * (med - result.teacher_accuracy));
  }
  std::printf("written: %s\n", path.c_str());
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<EvalOptions>();
  command.add_option("dir", o->dir, "house folder")->required();
  command.add_option("--split", o->split, "test or val")->capture_default_str();
  command.add_option("--limit", o->limit, "first N images of the split (0 = all)")->check(CLI::NonNegativeNumber);
  command.add_option("--backend", o->backend, "runtime backend")->capture_default_str();
  command.add_option("--threads", o->threads, "runtime threads")->check(CLI::PositiveNumber)->capture_default_str();
  command.add_flag("--json", o->json, "print the JSON report");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"house eval", "test accuracy of the teacher with each alternative stitched in, through the runtime", configure});

}  // namespace

}  // namespace bespoke::cli
