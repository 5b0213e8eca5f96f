// bespoke-opt run: the whole method from one config: house, profile of every
// target, search, fine-tuning, export, device acceptance and the report
// (pipeline/pipeline.h says what each step does and how a run resumes).
//
//   bespoke-opt run config.toml [--out DIR] [--threads N] [--seed S] [--target NAME]... [--force]
//
// LibTorch's OpenMP threads spin while waiting unless OMP_WAIT_POLICY=PASSIVE
// is in the environment before the program starts (see train.cpp).
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cli_support.h"
#include "cli/config_loading.h"
#include "cli/subcommand.h"
#include "cli/torch/house_models.h"
#include "cli/torch/input_errors.h"
#include "config/optimizer_config.h"
#include "pipeline/pipeline.h"

namespace bespoke::cli {

namespace {

struct RunOptions {
  std::string config;
  std::string out;
  std::optional<int> threads;
  std::optional<uint64_t> seed;
  std::vector<std::string> targets;
  bool force = false;
};

int run(const RunOptions& o) {
  const config::OptimizerConfig config = load_config(o.config, {o.out, o.threads, o.seed});
  for (const std::string& name : o.targets) find_target(config, o.config, name);

  pipeline::PipelineRequest request;
  request.config = config;
  request.only_targets = o.targets;
  request.force = o.force;
  request.teacher = load_teacher(config.teacher);
  for (const std::string& path : config.house.pretrained) request.sources.push_back(load_pretrained_source(path));
  const pipeline::PipelineReport report =
      with_input_errors([&] { return pipeline::run_pipeline(request, std::cout); });

  const std::filesystem::path out = config.run.out;
  std::cout << "\n" << pipeline::report_table(report) << "\n";
  std::cout << "students: " << (out / "students").string() << "/<target>/student.bspk (and .onnx)\n"
            << "report:   " << (out / "report.md").string() << ", " << (out / "report.json").string() << "\n"
            << "plot:     " << (out / "pareto.png").string() << "\n";
  bool all_ok = true;
  for (const pipeline::StudentSummary& s : report.targets)
    all_ok = all_ok && s.meets_budget && s.meets_memory && s.meets_floor && s.acceptance == "accepted";
  return all_ok ? kExitSuccess : kExitFailure;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<RunOptions>();
  command.add_option("config", o->config, "optimizer config (TOML) with [[targets]]")->required();
  command.add_option("--out", o->out, "output folder: house, students, report (overrides run.out)");
  command.add_option("--threads", o->threads, "LibTorch threads (overrides run.threads; 0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--seed", o->seed, "seed of every random choice (overrides run.seed)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{INT64_MAX}));
  command.add_option("--target", o->targets, "only this target (repeatable; default: every [[targets]] entry)");
  command.add_flag("--force", o->force, "accept a house or profile made from another config or device");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"run", "the whole method: house, profile, search, fine-tune, export, report (resumable)", configure});

}  // namespace

}  // namespace bespoke::cli
