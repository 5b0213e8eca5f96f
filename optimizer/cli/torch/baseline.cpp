// bespoke-opt baseline: a student made without the house, fine-tuned and
// measured exactly like a Bespoke student, for the quality benchmark
// (pipeline/baselines.h; benchmarks/quality.sh).
//
//   bespoke-opt baseline config.toml --target NAME (--prune R | --arch resnet8-w16) --out DIR
//                        [--epochs E] [--json]
//
// Writes DIR/baseline.bspk and DIR/baseline.json: kind, setting, test accuracy
// through the runtime on the target's backend, end-to-end latency measured on
// the target (median and p90), parameters, FLOPs, training seconds.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "cli/config_loading.h"
#include "cli/subcommand.h"
#include "cli/torch/house_models.h"
#include "config/optimizer_config.h"
#include "export/bspk_writer.h"
#include "house/house_store.h"
#include "house/teacher_data.h"
#include "ir/cost.h"
#include "latency/device_link.h"
#include "pipeline/baselines.h"
#include "pipeline/device_acceptance.h"
#include "pipeline/finetune.h"
#include "task/runtime_scoring.h"

namespace bespoke::cli {

namespace {

namespace fs = std::filesystem;

struct BaselineOptions {
  std::string config, target, arch, out;
  std::optional<double> prune, epochs;
  std::optional<int> threads;
  bool json = false;
};

int run(const BaselineOptions& o) {
  config::OptimizerConfig config = load_config(o.config, {"", o.threads, std::nullopt});
  if (o.prune.has_value() == !o.arch.empty()) throw UsageError("give exactly one of --prune R and --arch NAME");
  const config::TargetConfig* target = &find_target(config, o.config, o.target);
  if (o.epochs) config.finetune.epochs = *o.epochs;

  const ir::Graph teacher = load_teacher(config.teacher);
  const house::TeacherData data = house::open_teacher_data(config, teacher);
  ir::Graph student;
  try {
    student = o.prune ? pipeline::uniformly_pruned_teacher(teacher, *o.prune)
                      : pipeline::scratch_student(o.arch, teacher, config.run.seed);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const auto start = std::chrono::steady_clock::now();
  const pipeline::FinetuneResult tuned = pipeline::finetune_student(
      student, teacher, data, config.finetune, config.run.seed, config.run.threads,
      [](const pipeline::FinetuneProgress& p) {
        std::cerr << "  baseline: step " << p.step << "/" << p.steps << " loss " << p.loss << "\n";
      });
  if (!tuned.ok) throw std::runtime_error(tuned.reason);
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  fs::create_directories(o.out);
  const std::vector<uint8_t> bytes = exporter::write_bspk(tuned.student);
  house::write_file_atomically((fs::path(o.out) / "baseline.bspk").string(), bytes);
  data::BatchLoader test = house::make_loader(data, data::Split::kTest, 0);
  const task::References references =
      task::split_references(data.head, exporter::write_bspk(teacher), test, *data.dataset.split(data::Split::kTest).set,
                             house::loader_indices(data, data::Split::kTest, 0));
  const task::TaskScores scores =
      task::score_on_runtime(data.head, bytes, test, &references, {target->backend, target->threads}).scores;
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : scores.metrics) metrics[name] = value;
  std::unique_ptr<latency::DeviceLink> link = latency::connect(*target);
  const pipeline::Acceptance measured =
      pipeline::accept_on_device(*link, bytes, tuned.student, exporter::write_bspk(teacher), data, *target, 1e30,
                                 config.profile, config.finetune.tolerance);
  const ir::GraphSummary summary = ir::summarize(tuned.student);
  const nlohmann::json j = {{"kind", o.prune ? "uniform_pruning" : "scratch"},
                            {"setting", o.prune ? std::to_string(*o.prune) : o.arch},
                            {"target", target->name},
                            {"task", task::task_name(data.head.kind)},
                            {"metric", scores.metric},
                            {"score", scores.score},
                            {"metrics", metrics},
                            {"accuracy", scores.score},
                            {"latency_ms", measured.median_ms},
                            {"p90_ms", measured.p90_ms},
                            {"teacher_ms", measured.teacher_ms},
                            {"params", summary.parameters},
                            {"flops", summary.flops},
                            {"epochs", config.finetune.epochs},
                            {"train_seconds", train_seconds},
                            {"numerics", measured.numerics_ok},
                            {"sha256", measured.sha256}};
  house::write_file_atomically((fs::path(o.out) / "baseline.json").string(), [&] {
    const std::string text = j.dump(2) + "\n";
    return std::vector<uint8_t>(text.begin(), text.end());
  }());
  if (o.json) {
    std::cout << j.dump() << "\n";
  } else {
    std::cout << j.at("kind").get<std::string>() << " " << j.at("setting").get<std::string>() << ": test " << scores.metric << " "
              << 100 * scores.score << "%, " << measured.median_ms << " ms on " << target->name << "\n";
  }
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<BaselineOptions>();
  command.add_option("config", o->config, "optimizer config (TOML) with [[targets]]")->required();
  command.add_option("--target", o->target, "the target to measure on")->required();
  command.add_option("--prune", o->prune, "uniform channel pruning of the teacher at this ratio")
      ->check(CLI::Range(0.0, 1.0));
  command.add_option("--arch", o->arch, "a small CNN from scratch (e.g. resnet8-w16)");
  command.add_option("--out", o->out, "output folder")->required();
  command.add_option("--epochs", o->epochs, "fine-tuning epochs (overrides finetune.epochs)")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--threads", o->threads, "LibTorch threads (overrides run.threads)")
      ->check(CLI::NonNegativeNumber);
  command.add_flag("--json", o->json, "one JSON object instead of text");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"baseline", "a student made without the house (uniform pruning, small CNN), fine-tuned and measured alike",
     configure});

}  // namespace

}  // namespace bespoke::cli
