// bespoke-opt train: trains a built-in architecture (optimizer/arch) on a
// dataset through the LibTorch bridge and exports it (BatchNorm folded) as
// ONNX (or .bspk by extension). Reproducible from the seed and the config:
// the effective config is written next to the output (model.onnx -> model.train.toml)
// and into the checkpoint directory, which --resume continues from exactly.
//
//   bespoke-opt train --arch resnet8 --data fashion-mnist --epochs 12 -o teacher.onnx
//                     [--config train.toml] [--seed S] [--threads T] [--batch B] [--lr LR]
//                     [--resume] [--checkpoint-dir D]
//
// LibTorch's OpenMP threads spin while waiting by default; on a machine
// shared with other work that collapses throughput (measured with the same
// LibTorch build on a loaded 2-core machine: 2 threads
// went from ~500 to ~15 images/s under load). OpenMP reads its policy before
// main(), so set it in the environment: OMP_WAIT_POLICY=PASSIVE bespoke-opt train ...
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>

#include "arch/architecture.h"
#include "cli/cli_support.h"
#include "cli/subcommand.h"
#include "export/bspk_writer.h"
#include "ir/cost.h"
#include "onnx_export/onnx_writer.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace bespoke::cli {

namespace {

namespace fs = std::filesystem;

struct TrainOptions {
  std::string output;
  std::string config_path;
  std::string checkpoint_dir;
  bool resume = false;
  int64_t stop_after = 0;
  train::TrainConfig overrides;  // values of the options given (see `given`)
  std::map<std::string, CLI::Option*> given;
};

std::string sibling_path(const std::string& output, const std::string& suffix) {
  fs::path p(output);
  return (p.parent_path() / (p.stem().string() + suffix)).string();
}

// Config file (or the checkpoint's, when resuming without one, or the
// defaults), then every option given on the command line.
train::TrainConfig effective_config(const TrainOptions& o, const std::string& checkpoint_dir) {
  train::TrainConfig c;
  const std::string saved = (fs::path(checkpoint_dir) / "config.toml").string();
  if (!o.config_path.empty()) {
    c = train::load_train_config(o.config_path);
  } else if (o.resume && fs::exists(saved)) {
    c = train::load_train_config(saved);
  }
  const train::TrainConfig& v = o.overrides;
  auto set = [&](const char* name, auto& field, const auto& value) {
    if (o.given.at(name)->count() > 0) field = value;
  };
  set("--arch", c.arch, v.arch);
  set("--data", c.data, v.data);
  set("--data-dir", c.data_dir, v.data_dir);
  set("--input-shape", c.input_shape, v.input_shape);
  set("--val-count", c.validation_count, v.validation_count);
  set("--split-seed", c.split_seed, v.split_seed);
  set("--limit-train", c.limit_train, v.limit_train);
  set("--limit-val", c.limit_validation, v.limit_validation);
  set("--crop-padding", c.crop_padding, v.crop_padding);
  set("--epochs", c.epochs, v.epochs);
  set("--batch", c.batch_size, v.batch_size);
  set("--lr", c.lr, v.lr);
  set("--momentum", c.momentum, v.momentum);
  set("--weight-decay", c.weight_decay, v.weight_decay);
  set("--warmup-epochs", c.warmup_epochs, v.warmup_epochs);
  set("--label-smoothing", c.label_smoothing, v.label_smoothing);
  set("--seed", c.seed, v.seed);
  set("--threads", c.threads, v.threads);
  set("--log-seconds", c.log_seconds, v.log_seconds);
  if (o.given.at("--no-flip")->count() > 0) c.horizontal_flip = false;
  return c;
}

int run(const TrainOptions& o) {
  const std::string checkpoint_dir = o.checkpoint_dir.empty() ? o.output + ".ckpt" : o.checkpoint_dir;
  train::TrainConfig config = effective_config(o, checkpoint_dir);
  try {
    config.check();
    // An unknown architecture is a command-line error: report it before loading any data.
    arch::ArchitectureOptions probe;
    probe.input_shape = train::training_input_shape(config);
    arch::make_architecture(config.arch, probe);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const std::string config_out = sibling_path(o.output, ".train.toml");
  std::error_code ignored;
  if (!fs::path(o.output).parent_path().empty()) fs::create_directories(fs::path(o.output).parent_path(), ignored);
  train::save_train_config(config, config_out);

  const auto start = std::chrono::steady_clock::now();
  train::Trainer trainer(config, checkpoint_dir, std::cout);
  const train::CheckpointState& state = trainer.run(o.resume, o.stop_after);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (state.epochs_done < config.epochs) {
    std::cout << "stopped after epoch " << state.epochs_done << " of " << config.epochs
              << " (--stop-after); continue with --resume\n";
    return kExitSuccess;
  }
  const ir::Graph graph = trainer.export_graph();
  const std::string ext = fs::path(o.output).extension().string();
  if (ext == ".bspk") {
    exporter::save_bspk(graph, o.output);
  } else {
    onnx_export::save_onnx(graph, o.output);
  }
  const ir::GraphSummary summary = ir::summarize(graph);
  const train::EpochRecord& last = state.history.back();
  std::printf(
      "wrote %s: %s parameters, %s FLOPs per image; val accuracy %.2f%% (loss %.4f) after %lld epochs; "
      "this run %s; config %s\n",
      o.output.c_str(), human_count(summary.parameters).c_str(), human_count(summary.flops).c_str(),
      100.0 * last.val_accuracy, last.val_loss, static_cast<long long>(state.epochs_done),
      train::format_duration(seconds).c_str(), config_out.c_str());
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<TrainOptions>();
  train::TrainConfig& v = o->overrides;
  std::string arch_help = "architecture:";
  for (const std::string& line : arch::architecture_help()) arch_help += " " + line;
  command.add_option("-o,--output", o->output, "trained model to write (.onnx, or .bspk)")->required();
  command.add_option("--config", o->config_path, "TOML training config (options below override it)")
      ->check(CLI::ExistingFile);
  command.add_option("--checkpoint-dir", o->checkpoint_dir, "checkpoint directory (default <output>.ckpt)");
  command.add_flag("--resume", o->resume, "continue the run in the checkpoint directory");
  command.add_option("--stop-after", o->stop_after, "stop after this many epochs in total (resume later)")
      ->check(CLI::PositiveNumber);
  auto& g = o->given;
  g["--arch"] = command.add_option("--arch", v.arch, arch_help);
  g["--data"] = command.add_option("--data", v.data, "fashion-mnist or an image-folder directory");
  g["--data-dir"] = command.add_option("--data-dir", v.data_dir, "Fashion-MNIST directory (default: Debian's)");
  g["--input-shape"] =
      command.add_option("--input-shape", v.input_shape, "model input N C H W (default: the dataset's)")->expected(4);
  g["--val-count"] = command.add_option("--val-count", v.validation_count, "training images held out for validation");
  g["--split-seed"] = command.add_option("--split-seed", v.split_seed, "seed of the train/validation split");
  g["--limit-train"] = command.add_option("--limit-train", v.limit_train, "train on the first N training images only");
  g["--limit-val"] = command.add_option("--limit-val", v.limit_validation, "validate on the first N only");
  g["--crop-padding"] = command.add_option("--crop-padding", v.crop_padding, "random-crop padding (0 = off)");
  g["--no-flip"] = command.add_flag("--no-flip", "no random horizontal flips");
  g["--epochs"] = command.add_option("--epochs", v.epochs, "epochs");
  g["--batch"] = command.add_option("--batch", v.batch_size, "batch size");
  g["--lr"] = command.add_option("--lr", v.lr, "peak learning rate");
  g["--momentum"] = command.add_option("--momentum", v.momentum, "SGD momentum");
  g["--weight-decay"] = command.add_option("--weight-decay", v.weight_decay, "weight decay of Conv/FC weights");
  g["--warmup-epochs"] = command.add_option("--warmup-epochs", v.warmup_epochs, "linear warmup epochs");
  g["--label-smoothing"] = command.add_option("--label-smoothing", v.label_smoothing, "label smoothing");
  g["--seed"] = command.add_option("--seed", v.seed, "seed of weights, data order and augmentation");
  g["--threads"] = command.add_option("--threads", v.threads, "LibTorch threads (0 = all cores)");
  g["--log-seconds"] = command.add_option("--log-seconds", v.log_seconds, "seconds between progress lines");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"train", "train a built-in architecture on a dataset and export it", configure});

}  // namespace

}  // namespace bespoke::cli
