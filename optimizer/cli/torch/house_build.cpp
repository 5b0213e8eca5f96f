// bespoke-opt house build: builds (or continues) a model house from the
// optimizer config (house/house_builder.h says what a build does).
//
//   bespoke-opt house build config.toml [--out DIR] [--threads N] [--seed S]
//                                       [--shard K/N | --shard auto] [--force]
//
// --shard K/N builds the K-th (0-based) of N equal parts of the work into
// <out>/shard-K-of-N; `bespoke-opt house merge` joins the parts. --shard auto
// takes K and N from the scheduler that started the process: Open MPI's
// mpirun (OMPI_COMM_WORLD_RANK / OMPI_COMM_WORLD_SIZE) or a Slurm job array
// (SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN / SLURM_ARRAY_TASK_COUNT).
//
// LibTorch's OpenMP threads spin while waiting unless OMP_WAIT_POLICY=PASSIVE
// is in the environment before the program starts (see train.cpp).
#include <cstdlib>
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
#include "house/house_builder.h"

namespace bespoke::cli {

namespace {

struct BuildOptions {
  std::string config;
  std::string out;
  std::optional<int> threads;
  std::optional<uint64_t> seed;
  std::string shard;
  bool force = false;
};

struct Shard {
  int index = 0, count = 1;
};

std::optional<long> env_number(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (*end != '\0') throw UsageError(std::string("--shard auto: ") + name + "='" + v + "' is not a number");
  return n;
}

Shard parse_shard(const std::string& text) {
  Shard s;
  if (text.empty()) return s;
  if (text == "auto") {
    if (auto rank = env_number("OMPI_COMM_WORLD_RANK")) {
      s.index = static_cast<int>(*rank);
      s.count = static_cast<int>(env_number("OMPI_COMM_WORLD_SIZE").value_or(0));
    } else if (auto task = env_number("SLURM_ARRAY_TASK_ID")) {
      s.index = static_cast<int>(*task - env_number("SLURM_ARRAY_TASK_MIN").value_or(0));
      s.count = static_cast<int>(env_number("SLURM_ARRAY_TASK_COUNT").value_or(0));
    } else {
      throw UsageError(
          "--shard auto: neither mpirun (OMPI_COMM_WORLD_RANK) nor a Slurm job array "
          "(SLURM_ARRAY_TASK_ID) started this process");
    }
  } else {
    const size_t slash = text.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument("no '/'");
      size_t used = 0;
      s.index = std::stoi(text.substr(0, slash), &used);
      if (used != slash) throw std::invalid_argument("index");
      s.count = std::stoi(text.substr(slash + 1), &used);
      if (used != text.size() - slash - 1) throw std::invalid_argument("count");
    } catch (const std::exception&) {
      throw UsageError("--shard must be K/N (0 <= K < N) or auto, not '" + text + "'");
    }
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw UsageError("--shard " + text + ": need 0 <= K < N, got K=" + std::to_string(s.index) +
                     " N=" + std::to_string(s.count));
  return s;
}

int run(const BuildOptions& o) {
  const config::OptimizerConfig config = load_config(o.config, {o.out, o.threads, o.seed});
  const Shard shard = parse_shard(o.shard);

  house::BuildRequest request;
  request.config = config;
  request.force = o.force;
  request.shard_index = shard.index;
  request.shard_count = shard.count;
  request.house_dir = shard.count > 1
                          ? (std::filesystem::path(config.run.out) /
                             ("shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count)))
                                .string()
                          : config.run.out;
  request.teacher = load_teacher(config.teacher);
  for (const std::string& path : config.house.pretrained) request.sources.push_back(load_pretrained_source(path));
  const house::BuildReport report = with_input_errors([&] { return house::build_house(request, std::cout); });
  house::print_report(report, std::cout);
  std::cout << "house: " << request.house_dir << " (bespoke-opt house status " << request.house_dir << ")\n";
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto o = std::make_shared<BuildOptions>();
  command.add_option("config", o->config, "optimizer config (TOML)")->required();
  command.add_option("--out", o->out, "house folder (overrides run.out)");
  command.add_option("--threads", o->threads, "LibTorch threads (overrides run.threads; 0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  // TOML integers are signed 64-bit: a larger seed could not be read back from the house.
  command.add_option("--seed", o->seed, "seed of span sampling and training (overrides run.seed)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{INT64_MAX}));
  command.add_option("--shard", o->shard, "build part K/N of the work (0-based), or auto under mpirun / Slurm");
  command.add_flag("--force", o->force, "continue a house that was started with another config");
  return [o] { return run(*o); };
}

[[maybe_unused]] const bool registered = register_subcommand(
    {"house build", "make and distill the alternatives of a model house (resumable, shardable)", configure});

}  // namespace

}  // namespace bespoke::cli
