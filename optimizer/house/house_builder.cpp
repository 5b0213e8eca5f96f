#include "house/house_builder.h"

#include <algorithm>
#include <optional>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <thread>

#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/distillation.h"
#include "house/feature_cache.h"
#include "house/house_store.h"
#include "house/teacher_data.h"
#include "house/teacher_features.h"
#include "house/work_plan.h"
#include "ir/cost.h"
#include "torch_bridge/graph_module.h"
#include "train/progress.h"

namespace bespoke::house {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string shape_text(const std::optional<ir::Shape>& s) {
  if (!s) return "?";
  std::string out;
  for (int64_t d : *s) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

std::string shard_text(const BuildRequest& r) {
  return std::to_string(r.shard_index) + "/" + std::to_string(r.shard_count);
}

// The house folder's settings must describe this build (step 1 of house_builder.h).
void check_house_settings(HouseStore& store, const BuildRequest& r) {
  if (auto built = store.meta("config")) {
    const config::OptimizerConfig before = config::parse_optimizer_config(*built, store.index_path() + " (meta config)",
                                                                          store.dir(), config::FileChecks::kNone);
    const std::vector<std::string> diff = config::house_differences(before, r.config);
    if (!diff.empty() && !r.force) {
      std::string text;
      for (const std::string& d : diff) text += (text.empty() ? "" : "; ") + d;
      throw HouseError("house '" + store.dir() + "' was built with another config (" + text +
                       "); use another --out, or --force to continue it with this one");
    }
  }
  const std::string shard = r.shard_count > 1 ? shard_text(r) : "";
  const std::string stored = store.meta("shard").value_or("");
  if (store.meta("config") && stored != shard)
    throw HouseError("house '" + store.dir() + "' holds " + (stored.empty() ? "a whole build" : "shard " + stored) +
                     ", not " + (shard.empty() ? "a whole build" : "shard " + shard));
  store.set_meta("config", config::to_toml(r.config));
  store.set_meta("teacher", r.teacher.name);
  if (!shard.empty()) store.set_meta("shard", shard);
  config::save_optimizer_config(r.config, store.path("config.toml"));
}

void write_spans(HouseStore& store, const ir::Graph& teacher, const blocks::BlockAnalysis& analysis,
                 const SpanSample& sample) {
  std::set<std::pair<int, int>> stored;
  for (const SpanRecord& s : store.spans()) stored.insert({s.cut_begin, s.cut_end});
  for (const SpanChoice& c : sample.spans) {
    if (stored.count({c.cut_begin, c.cut_end})) continue;
    const blocks::SubNetwork span = analysis.span(c.cut_begin, c.cut_end);
    SpanRecord rec;
    rec.cut_begin = c.cut_begin;
    rec.cut_end = c.cut_end;
    for (int u = c.cut_begin; u < c.cut_end; ++u)
      rec.units += (rec.units.empty() ? "" : ",") + analysis.units[static_cast<size_t>(u)].name;
    rec.input_shape = shape_text(span.input_shape);
    rec.output_shape = shape_text(span.output_shape);
    rec.params = span.params;
    rec.flops = span.flops;
    rec.macs = span.macs;
    rec.file = "span-" + std::to_string(c.cut_begin) + "-" + std::to_string(c.cut_end) + ".bspk";
    write_file_atomically(store.path(rec.file),
                          exporter::write_bspk(blocks::extract_span(teacher, c.cut_begin, c.cut_end)));
    store.put_span(rec);
  }
}

// The trained alternative as the file a device runs: one block, its provenance.
ir::Graph with_alternative_block(ir::Graph g, const Alternative& alt, double loss) {
  g.blocks.clear();
  ir::Block b;
  b.id = 0;
  b.name = alt.key;
  b.first_node = 0;
  b.node_count = static_cast<int>(g.nodes.size());
  b.input_value = g.inputs.at(0);
  b.output_value = g.outputs.at(0);
  b.provenance = alt.provenance;
  b.provenance.teacher_cut_begin = alt.cut_begin;
  b.provenance.teacher_cut_end = alt.cut_end;
  b.provenance.distill_loss = static_cast<float>(loss);
  g.blocks.push_back(std::move(b));
  g.name = alt.key;
  g.metadata.emplace_back("house.key", alt.key);
  g.metadata.emplace_back("house.kind", kind_name(alt.kind));
  return g;
}

AlternativeRecord record_of(const Alternative& alt) {
  AlternativeRecord r;
  r.key = alt.key;
  r.cut_begin = alt.cut_begin;
  r.cut_end = alt.cut_end;
  r.kind = alt.kind;
  r.origin_model = alt.origin_model;
  r.origin_node_begin = alt.origin_node_begin;
  r.origin_node_end = alt.origin_node_end;
  r.ratio = alt.ratio;
  r.adapters = alt.adapters;
  const ir::GraphSummary cost = ir::summarize(alt.graph);
  r.params = cost.parameters;
  r.flops = cost.flops;
  r.macs = cost.macs;
  return r;
}

DistillSettings distill_settings(const config::OptimizerConfig& c, const Alternative& alt) {
  DistillSettings s;
  s.steps = c.distill.steps;
  s.batch_size = c.distill.batch_size;
  s.lr = c.distill.lr;
  s.min_lr = c.distill.min_lr;
  s.schedule = c.distill.schedule;
  s.warmup_steps = c.distill.warmup_steps;
  s.weight_decay = c.distill.weight_decay;
  s.seed = alternative_seed(c.run.seed, alt.key);
  return s;
}

int thread_count(const config::OptimizerConfig& c) {
  return c.run.threads > 0 ? c.run.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

std::string alternative_file_name(const std::string& key) {
  std::string name = key;
  std::replace(name.begin(), name.end(), '/', '_');
  return name + ".bspk";
}

BuildReport build_house(const BuildRequest& request, std::ostream& log) {
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  const config::OptimizerConfig& config = request.config;
  BuildReport report;

  ir::Graph teacher = request.teacher;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  std::optional<TeacherData> opened;
  if (request.data == nullptr) opened.emplace(open_teacher_data(config, teacher));
  const TeacherData& data = request.data != nullptr ? *request.data : *opened;
  HouseStore store = HouseStore::open(request.house_dir, true);
  check_house_settings(store, request);
  // A build killed while features were spilled leaves their files behind: start clean.
  const fs::path spill = fs::path(store.dir()) / ".features";
  fs::remove_all(spill);

  const WorkPlan plan = plan_house(teacher, analysis, request.sources, config);
  report.spans = static_cast<int>(plan.sample.spans.size());
  report.skips = plan.skips;
  store.set_meta(kUnitsMeta, units_to_json(plan.sample.units));  // for house status (house_coverage.h)
  write_spans(store, teacher, analysis, plan.sample);
  const std::vector<size_t> mine = shard_positions(plan.alternatives.size(), request.shard_index, request.shard_count);
  report.planned = static_cast<int>(mine.size());

  std::vector<const Alternative*> pending;
  for (size_t i : mine) {
    const Alternative& alt = plan.alternatives[i];
    report.kinds[kind_name(alt.kind)];  // every planned kind appears in the report
    if (store.find(alt.key))
      ++report.kinds[kind_name(alt.kind)].already;
    else
      pending.push_back(&alt);
  }
  log << "house " << store.dir() << ": teacher '" << teacher.name << "', " << report.spans << " spans ("
      << plan.sample.eligible << " eligible), " << report.planned << " alternatives"
      << (request.shard_count > 1 ? " in shard " + shard_text(request) : std::string()) << ", "
      << report.planned - static_cast<int>(pending.size()) << " already in the house\n";
  log << "  coverage: " << describe_coverage(plan.sample.coverage, plan.sample.units) << "\n";

  if (!pending.empty()) {
    torchbridge::GraphModule::set_num_threads(thread_count(config));
    data::BatchLoader train_loader = make_loader(data, data::Split::kTrain, config.data.train_images);
    data::BatchLoader val_loader = make_loader(data, data::Split::kValidation, config.data.validation_images);
    log << "  data: " << data.describe << "; distilling on " << train_loader.samples() << " training and "
        << val_loader.samples() << " validation images (" << train_loader.preprocessor().describe() << ")\n";

    std::set<int> cuts;
    for (const Alternative* alt : pending) cuts.insert({alt->cut_begin, alt->cut_end});
    const std::vector<int> cut_list(cuts.begin(), cuts.end());
    FeatureCache cache(config.distill.feature_cache_mb << 20, spill.string());
    const auto features_start = Clock::now();
    {
      torchbridge::GraphModule module(teacher);
      compute_teacher_features(module, analysis, cut_list, train_loader, cache, "train", {});
      compute_teacher_features(module, analysis, cut_list, val_loader, cache, "val", {});
    }
    report.feature_seconds = since(features_start);
    report.feature_memory_bytes = cache.memory_bytes();
    report.feature_spilled_bytes = cache.spilled_bytes();
    log << "  teacher features at " << cut_list.size() << " cuts: " << train::format_duration(report.feature_seconds)
        << "\n";

    const auto train_start = Clock::now();
    size_t finished = 0;
    for (const Alternative* alt : pending) {
      const auto t0 = Clock::now();
      KindTally& tally = report.kinds[kind_name(alt->kind)];
      AlternativeRecord rec = record_of(*alt);
      auto last_line = Clock::now();
      const DistillProgress progress = [&](int64_t step, int64_t steps, double loss) {
        if (since(last_line) < config.run.log_seconds) return;
        last_line = Clock::now();
        char line[160];
        std::snprintf(line, sizeof line, "    %s: step %lld/%lld loss %.5f\n", alt->key.c_str(),
                      static_cast<long long>(step), static_cast<long long>(steps), loss);
        log << line << std::flush;
      };
      DistillOutcome outcome;
      try {
        const FeaturePair train{cache.get(feature_name("train", alt->cut_begin)),
                                cache.get(feature_name("train", alt->cut_end))};
        const FeaturePair val{cache.get(feature_name("val", alt->cut_begin)),
                              cache.get(feature_name("val", alt->cut_end))};
        outcome = distill_alternative(alt->graph, train, val, distill_settings(config, *alt), progress);
      } catch (const std::exception& e) {
        outcome.ok = false;
        outcome.reason = e.what();
      }
      rec.loss_before = outcome.loss_before;
      rec.loss_after = outcome.loss_after;
      rec.rel_mse = outcome.rel_mse;
      rec.steps = outcome.steps;
      if (outcome.ok) {
        if (!outcome.trained.nodes.empty()) {
          rec.file = alternative_file_name(alt->key);
          write_file_atomically(store.path(rec.file), exporter::write_bspk(with_alternative_block(outcome.trained, *alt,
                                                                                                  outcome.loss_after)));
        }
        rec.status = ItemStatus::kDone;
      } else {
        rec.status = ItemStatus::kFailed;
        rec.reason = outcome.reason;
      }
      rec.seconds = since(t0);
      store.put_alternative(rec);
      (outcome.ok ? tally.done : tally.failed) += 1;
      tally.seconds += rec.seconds;
      ++finished;
      const double eta =
          since(train_start) / static_cast<double>(finished) * static_cast<double>(pending.size() - finished);
      char line[320];
      if (outcome.ok)
        std::snprintf(line, sizeof line, "  [%zu/%zu] %-40s loss %.4g -> %.4g (rel %.4f), %s params, %.1f s; ETA %s\n",
                      finished, pending.size(), alt->key.c_str(), rec.loss_before, rec.loss_after, rec.rel_mse,
                      std::to_string(rec.params).c_str(), rec.seconds, train::format_duration(eta).c_str());
      else
        std::snprintf(line, sizeof line, "  [%zu/%zu] %-40s FAILED: %.160s; ETA %s\n", finished, pending.size(),
                      alt->key.c_str(), rec.reason.c_str(), train::format_duration(eta).c_str());
      log << line << std::flush;
    }
  }
  report.wall_seconds = since(start);
  report.cpu_seconds = process_cpu_seconds() - cpu_start;
  report.peak_rss_bytes = peak_rss_bytes();
  write_file_atomically(store.path("build-report.json"), [&] {
    const std::string text = report_json(report).dump(2) + "\n";
    return std::vector<uint8_t>(text.begin(), text.end());
  }());
  return report;
}

}  // namespace bespoke::house
