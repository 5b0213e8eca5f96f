// bespoke-opt house status: what a model house holds, at a glance.
//
//   bespoke-opt house status DIR
//
// The folder, schema version and shard; the config it was built with (a
// summary); the sampled teacher spans and their coverage: the share of the
// teacher's FLOPs they cover (from the per-unit record the build stores,
// house/house_coverage.h) and, per profiled target, the share of its
// profiled unit times; alternatives per kind and status with the median
// relative validation MSE of the done ones. A house without the record (built
// before it existed) or a table that does not fit says so or is left out:
// status never fails over coverage.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/subcommand.h"
#include "config/optimizer_config.h"
#include "house/house_coverage.h"
#include "house/house_store.h"
#include "latency/latency_table.h"

namespace bespoke::cli {

namespace {

struct StatusOptions {
  std::string dir;
};

struct KindCounts {
  int done = 0, failed = 0;
  std::vector<double> rel_mse;  // of done alternatives with a finite value
};

std::string median_text(std::vector<double> values) {
  if (values.empty()) return "-";
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", median);
  return buf;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : ",") + w;
  return text;
}

void print_config(const house::HouseStore& store) {
  const auto text = store.meta("config");
  if (!text) {
    std::cout << "config        (none stored)\n";
    return;
  }
  const config::OptimizerConfig c =
      config::parse_optimizer_config(*text, store.index_path() + " (config)", "/", config::FileChecks::kNone);
  std::cout << "teacher       " << c.teacher.model << "\n"
            << "data          " << c.data.source << " (" << c.data.train_images << " training images, "
            << c.data.validation_images << " validation)\n"
            << "config        " << config::count_or_auto_text(c.house.spans) << " spans of " << c.house.min_units
            << ".." << config::count_or_auto_text(c.house.max_units) << " units; kinds " << joined(c.house.kinds)
            << "; " << c.house.pretrained.size() << " pretrained model(s); " << c.distill.steps << " steps x "
            << c.distill.batch_size << "; seed " << c.run.seed << "\n";
}

void print_coverage(const house::HouseStore& store) {
  const auto text = store.meta(house::kUnitsMeta);
  if (!text) {
    std::cout << "coverage      not recorded (the house was built before coverage was)\n";
    return;
  }
  std::vector<house::UnitCost> units;
  try {
    units = house::units_from_json(*text);
  } catch (const house::HouseError& e) {
    std::cout << "coverage      unreadable: " << e.what() << "\n";
    return;
  }
  std::vector<house::CutSpan> spans;
  for (const house::SpanRecord& s : store.spans()) spans.emplace_back(s.cut_begin, s.cut_end);
  std::cout << "coverage      " << house::describe_coverage(house::compute_coverage(units, spans), units) << "\n";
  std::vector<std::string> targets;
  try {
    targets = latency::profiled_targets(store);
  } catch (const std::exception&) {
    return;  // no latency tables to read: FLOPs only
  }
  for (const std::string& target : targets) {
    std::optional<double> share;
    try {
      const latency::LatencyTable table = latency::load_latency_table(store, target);
      if (table.unit_ms.size() == units.size()) share = house::covered_share(table.unit_ms, spans);
    } catch (const std::exception&) {
    }
    if (share)
      std::cout << "              " << house::share_text(*share) << " of the profiled latency on " << target << "\n";
  }
}

int run(const StatusOptions& options) {
  const house::HouseStore store = house::HouseStore::open(options.dir, false);
  store.check_files();
  const auto shard = store.meta("shard");
  std::cout << "house         " << store.dir() << " (schema " << store.meta("schema_version").value_or("?") << ", "
            << (shard ? "shard " + *shard : std::string("whole")) << ")\n";
  print_config(store);
  std::cout << "spans         " << store.spans().size() << " sampled teacher spans\n";
  print_coverage(store);

  std::map<house::AlternativeKind, KindCounts> kinds;
  int done = 0, failed = 0;
  for (const house::AlternativeRecord& a : store.alternatives()) {
    KindCounts& k = kinds[a.kind];
    if (a.status == house::ItemStatus::kDone) {
      ++k.done, ++done;
      if (std::isfinite(a.rel_mse)) k.rel_mse.push_back(a.rel_mse);
    } else {
      ++k.failed, ++failed;
    }
  }
  std::cout << "alternatives  " << done + failed << ": " << done << " done, " << failed << " failed\n";
  std::printf("  %-12s %6s %8s %16s\n", "kind", "done", "failed", "median rel_mse");
  for (const house::AlternativeKind kind : house::kAllAlternativeKinds) {
    const KindCounts& k = kinds[kind];
    std::printf("  %-12s %6d %8d %16s\n", house::kind_name(kind), k.done, k.failed, median_text(k.rel_mse).c_str());
  }
  std::fflush(stdout);
  return kExitSuccess;
}

Action configure(CLI::App& command) {
  auto options = std::make_shared<StatusOptions>();
  command.add_option("dir", options->dir, "the house folder")->required();
  return [options] { return run(*options); };
}

[[maybe_unused]] const bool registered =
    register_subcommand({"house status", "counts per kind and status, spans, config and schema of a house", configure});

}  // namespace

}  // namespace bespoke::cli
