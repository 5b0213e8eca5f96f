#include "pipeline/pipeline.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "blocks/unit_blocks.h"
#include "config/optimizer_config.h"
#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "house/house_builder.h"
#include "house/house_store.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "ir/cost.h"
#include "latency/device_link.h"
#include "latency/latency_error.h"
#include "latency/latency_table.h"
#include "latency/offline_bundle.h"
#include "latency/profiler.h"
#include "latency/sha256.h"
#include "onnx_export/onnx_writer.h"
#include "pipeline/device_acceptance.h"
#include "pipeline/finetune.h"
#include "pipeline/offline_acceptance.h"
#include "pipeline/step_inputs.h"
#include "search/search_error.h"
#include "search/search_target.h"
#include "task/runtime_scoring.h"

namespace bespoke::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kSearchMargin = 0.97;
// At most this long the device check waits for a CPU that fine-tuning left
// hot (settle_device in device_acceptance.h).
constexpr double kSettleSeconds = 60.0;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::optional<json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return json::parse(in);
  } catch (const json::exception&) {
    return std::nullopt;  // a torn or foreign file: the step is redone
  }
}

void write_json(const fs::path& path, const json& j) {
  house::write_file_atomically(path.string(), [&] {
    const std::string text = j.dump(2) + "\n";
    return std::vector<uint8_t>(text.begin(), text.end());
  }());
}

// A student's result with the inputs it was made from (step_inputs.h).
void write_result(const fs::path& path, const StudentSummary& s, const StepInputs& inputs) {
  json j = to_json(s);
  j["inputs"] = inputs;
  write_json(path, j);
}

double resolve_budget(const config::TargetConfig& t, const latency::LatencyTable& table) {
  return t.budget_ms > 0 ? t.budget_ms : t.budget_ratio * table.teacher_ms;
}

TaskFigures figures_of(const task::TaskScores& scores) {
  return {scores.metric, scores.metrics, scores.against_teacher};
}

// The test split's references: its labels, or the teacher's own outputs
// through the runtime when it has none (task/task_metric.h).
task::References test_references(const ir::Graph& teacher, const house::TeacherData& data) {
  data::BatchLoader loader = house::make_loader(data, data::Split::kTest, 0);
  return task::split_references(data.head, exporter::write_bspk(teacher), loader,
                                *data.dataset.split(data::Split::kTest).set,
                                house::loader_indices(data, data::Split::kTest, 0));
}

// The teacher's test score through the runtime, once per teacher file, task
// and data.
TeacherSummary teacher_summary(const ir::Graph& teacher, const house::TeacherData& data,
                               const task::References& references, const config::OptimizerConfig& config,
                               const fs::path& out, std::ostream& log) {
  const std::vector<uint8_t> bytes = exporter::write_bspk(teacher);
  const std::string digest = latency::sha256_hex(bytes);
  const std::string scored_on = data.head.decision + " on " + config.data.source + " (" + data.describe + ")";
  const fs::path file = out / "pipeline" / "teacher.json";
  TeacherSummary t;
  const ir::GraphSummary summary = ir::summarize(teacher);
  t.params = summary.parameters;
  t.flops = summary.flops;
  if (auto j = read_json(file); j && j->value("sha256", "") == digest && j->value("scored_on", "") == scored_on) {
    try {
      t.accuracy = j->at("score").get<double>();
      t.figures.metric = j->at("metric").get<std::string>();
      for (const auto& [name, value] : j->at("metrics").items()) t.figures.all.emplace_back(name, value.get<double>());
      std::stable_partition(t.figures.all.begin(), t.figures.all.end(),
                            [&](const auto& p) { return p.first == t.figures.metric; });
      t.figures.against_teacher = references.from_teacher;
      log << "teacher: test " << t.figures.metric << " " << 100 * t.accuracy << "% (reused)\n";
      return t;
    } catch (const json::exception&) {
      // an older file: scored again below
    }
  }
  data::BatchLoader loader = house::make_loader(data, data::Split::kTest, 0);
  const task::TaskScores scores = task::score_on_runtime(data.head, bytes, loader, &references, {"auto", 1}).scores;
  t.accuracy = scores.score;
  t.figures = figures_of(scores);
  json metrics = json::object();
  for (const auto& [name, value] : scores.metrics) metrics[name] = value;
  fs::create_directories(file.parent_path());
  write_json(file, {{"sha256", digest},
                    {"scored_on", scored_on},
                    {"metric", scores.metric},
                    {"score", scores.score},
                    {"metrics", metrics}});
  log << "teacher: test " << scores.metric << " " << 100 * t.accuracy << "% (runtime, test split"
      << (scores.against_teacher ? ", no labels: agreement with itself" : "") << ")\n";
  return t;
}

std::vector<ReplacedSpan> replaced_spans(const house::HouseStore& store, const std::vector<std::string>& keys) {
  std::vector<ReplacedSpan> spans;
  std::map<std::pair<int, int>, std::string> units;
  for (const house::SpanRecord& s : store.spans()) units[{s.cut_begin, s.cut_end}] = s.units;
  for (const std::string& key : keys) {
    const std::optional<house::AlternativeRecord> a = store.find(key);
    if (!a) continue;
    spans.push_back(
        {key, house::kind_name(a->kind), a->cut_begin, a->cut_end, units[{a->cut_begin, a->cut_end}], a->origin_model});
  }
  std::sort(spans.begin(), spans.end(),
            [](const ReplacedSpan& a, const ReplacedSpan& b) { return a.cut_begin < b.cut_begin; });
  return spans;
}

void record(StudentSummary& s, const Acceptance& a) {
  s.sha256 = a.sha256;
  s.latency_ms = a.median_ms;
  s.p90_ms = a.p90_ms;
  s.arena_bytes = a.arena_bytes;
  s.weights_bytes = a.weights_bytes;
  s.acceptance = a.verdict();
  s.meets_budget = a.latency_ok;
  s.meets_memory = a.memory_ok;
  s.acceptance_teacher_ms = a.teacher_ms;
  s.acceptance_budget_ms = a.budget_ms;
}

// Accepts the student on the device and records the verdict in `s`: through
// `link`, or for an offline target (no link) through its acceptance bundle
// in `dir`/acceptance (offline_acceptance.h), pending until the device's
// report is there.
void accept_student(StudentSummary& s, latency::DeviceLink* link, const std::vector<uint8_t>& bytes,
                    const ir::Graph& student, const ir::Graph& teacher, const house::TeacherData& data,
                    const config::TargetConfig& t, double budget, const config::OptimizerConfig& config,
                    const fs::path& dir, double profiled_teacher_ms, std::ostream& log) {
  const std::vector<uint8_t> teacher_bytes = exporter::write_bspk(teacher);
  const double tolerance = config.finetune.tolerance;
  Acceptance a;
  if (link == nullptr) {
    const OfflineAcceptance offline = accept_offline((dir / "acceptance").string(), bytes, student, teacher_bytes, data,
                                                     t, budget, config.profile, tolerance);
    if (offline.pending) {  // nothing measured on the device: the prediction stands in, said so in the report
      record(s, Acceptance{});
      s.device = t.device;
      s.sha256 = latency::sha256_hex(bytes);
      s.latency_ms = s.predicted_ms;
      s.acceptance_measurements = 0;
      s.acceptance = "pending: offline target; copy " + (dir / "acceptance").string() +
                     " to the device, run `bespoke-bench --manifest manifest.json --json > report.json` in it, put "
                     "report.json at " +
                     offline.report_path + " and run again";
      log << "  " << t.name << ": " << s.acceptance << "\n";
      return;
    }
    a = offline.acceptance;
    s.device = "offline: " + describe(offline.device);
    s.acceptance_measurements = 1;
    log << "  " << t.name << ": device report " << offline.report_path << " (" << describe(offline.device) << ")\n";
  } else {
    const auto settle_start = Clock::now();
    const double rested = settle_device(*link, teacher_bytes, t, profiled_teacher_ms, kSettleSeconds);
    log << "  " << t.name << ": teacher " << rested << " ms alone (profiled " << profiled_teacher_ms << " ms) after "
        << static_cast<int>(seconds_since(settle_start)) << " s of settling\n";
    a = accept_on_device(*link, bytes, student, teacher_bytes, data, t, budget, config.profile, tolerance);
    s.acceptance_measurements = 1;
    // Only the latency failed: measured once more, in fresh rounds (a burst
    // of noise on a shared machine moves a median by 10-20%); the second
    // measurement decides, and the report says there were two.
    if (a.numerics_ok && a.memory_ok && !a.latency_ok) {
      log << "  " << t.name << ": " << a.verdict() << " (teacher " << a.teacher_ms
          << " ms in the same rounds); measuring once more\n";
      a = accept_on_device(*link, bytes, student, teacher_bytes, data, t, budget, config.profile, tolerance);
      s.acceptance_measurements = 2;
    }
  }
  record(s, a);
  log << "  " << t.name << ": on the device " << a.median_ms << " ms (p90 " << a.p90_ms << "; teacher " << a.teacher_ms
      << " ms in the same rounds, budget " << a.budget_ms << " ms), max |error| " << a.max_abs_error << ", "
      << a.verdict() << "\n";
}

// The report files describe the whole output folder: a run limited by
// --target keeps, in config order, the last results of the targets it did not
// run (their files are untouched); the returned report, and so the exit
// status, covers only the targets run.
PipelineReport with_other_targets(const PipelineReport& run, const config::OptimizerConfig& config,
                                  const fs::path& out) {
  PipelineReport all = run;
  all.targets.clear();
  for (const config::TargetConfig& t : config.targets) {
    const auto ran = std::find_if(run.targets.begin(), run.targets.end(),
                                  [&](const StudentSummary& s) { return s.target == t.name; });
    if (ran != run.targets.end()) {
      all.targets.push_back(*ran);
    } else if (fs::exists(out / "students" / t.name / "result.json")) {
      // A damaged file is named in the report, never dropped from it; the
      // target's next run remakes its student.
      const fs::path file = out / "students" / t.name / "result.json";
      std::optional<StudentSummary> s;
      if (auto j = read_json(file)) {
        try {
          s = student_from_json(*j);
        } catch (const json::exception&) {
        }
      }
      if (!s) {
        s.emplace();
        s->target = t.name;
        s->acceptance = "damaged result: " + file.string() + " cannot be read; `bespoke-opt run --target " + t.name +
                        "` remakes it";
      }
      all.targets.push_back(std::move(*s));
    }
  }
  return all;
}

}  // namespace

PipelineReport run_pipeline(const PipelineRequest& request, std::ostream& log) {
  const auto start = Clock::now();
  const config::OptimizerConfig& config = request.config;
  const fs::path out = config.run.out;
  PipelineReport report;

  // 0. What the teacher's output means, and the data checked against it,
  // before any work (a bad label file is reported before the house is touched).
  const house::TeacherData data = house::open_teacher_data(config, request.teacher);
  log << "== " << data.head.decision << "; data " << data.describe << "\n";

  // 1. The house.
  log << "== 1. house (" << out.string() << ")\n";
  const auto house_start = Clock::now();
  {
    house::BuildRequest build;
    build.config = config;
    build.teacher = request.teacher;
    build.sources = request.sources;
    build.house_dir = out.string();
    build.force = request.force;
    build.data = &data;
    house::build_house(build, log);
  }
  report.house_seconds = seconds_since(house_start);
  house::HouseStore store = house::HouseStore::open(out.string(), false);
  config::save_optimizer_config(config, (out / "config.toml").string());
  report.config = (out / "config.toml").string();

  ir::Graph teacher = request.teacher;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  report.task = task::task_name(data.head.kind);
  report.task_decision = data.head.decision;

  // 2. The teacher.
  log << "== 2. teacher (" << data.head.decision << ")\n";
  const task::References references = test_references(teacher, data);
  report.teacher = teacher_summary(teacher, data, references, config, out, log);

  std::vector<config::TargetConfig> targets;
  for (const config::TargetConfig& t : config.targets)
    if (request.only_targets.empty() ||
        std::find(request.only_targets.begin(), request.only_targets.end(), t.name) != request.only_targets.end())
      targets.push_back(t);
  if (targets.empty()) throw std::runtime_error(config.source + ": no [[targets]] to tailor a student for");

  // 3. Profiles.
  log << "== 3. profile " << targets.size() << " target(s)\n";
  const auto profile_start = Clock::now();
  std::map<std::string, latency::LatencyTable> tables;
  std::map<std::string, std::unique_ptr<latency::DeviceLink>> links;
  for (const config::TargetConfig& t : targets) {
    if (t.device == "offline") {
      try {
        tables[t.name] = latency::load_latency_table(store, t.name);
        log << "profile " << t.name << ": imported table reused\n";
        continue;
      } catch (const latency::LatencyError&) {
        const fs::path bundle = out / "bundles" / t.name;
        latency::write_bundle(latency::plan_bundle(store, config.profile, t, request.teacher), bundle.string());
        throw latency::LatencyError("target " + t.name + " is offline and not profiled yet: copy " + bundle.string() +
                                    " to the device, run `bespoke-bench --manifest manifest.json --json > report.json` "
                                    "there, then `bespoke-opt "
                                    "profile import " +
                                    config.source + " report.json` here and run again");
      }
    }
    links[t.name] = latency::connect(t);
    latency::ProfileOptions options;
    options.force = request.force;
    const latency::ProfileResult profiled =
        latency::profile_target(store, config.profile, t, request.teacher, *links[t.name], options, log);
    log << "profile " << t.name << ": " << profiled.measured << " measurement(s) made, " << profiled.reused
        << " reused, teacher " << profiled.table.teacher_ms << " ms\n";
    tables[t.name] = profiled.table;
  }
  report.profile_seconds = seconds_since(profile_start);
  report.teacher.latency_ms = tables[targets.front().name].teacher_ms;

  // 4-5. Search, then the student, per target.
  for (const config::TargetConfig& t : targets) {
    const latency::LatencyTable& table = tables[t.name];
    const double budget = resolve_budget(t, table);
    const fs::path dir = out / "students" / t.name;
    const fs::path result_file = dir / "result.json";
    const StepInputs inputs = student_inputs(config, t, store, table, data);
    if (fs::exists(result_file) && !read_json(result_file))
      log << "== " << t.name << ": " << result_file.string() << " is damaged or of an older format: remade\n";
    if (auto j = read_json(result_file)) {
      std::optional<StudentSummary> previous;
      StepInputs before;
      try {
        previous = student_from_json(*j);
        before = j->value("inputs", StepInputs{});
      } catch (const json::exception&) {
        log << "== " << t.name << ": " << result_file.string() << " is damaged or of an older format: remade\n";
      }
      if (previous) {
        StudentSummary& s = *previous;
        std::ifstream bspk(out / s.bspk, std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(bspk)), std::istreambuf_iterator<char>());
        const std::vector<std::string> changed = changed_inputs(before, inputs);
        if (!bytes.empty() && latency::sha256_hex(bytes) == s.sha256 && s.budget_ms == budget && changed.empty()) {
          log << "== " << t.name << ": student reused (" << result_file.string() << ", every input unchanged)\n";
          if (t.device == "offline" && s.acceptance.rfind("pending", 0) == 0) {
            accept_student(s, nullptr, bytes, exporter::read_bspk(bytes.data(), bytes.size()), teacher, data, t,
                           budget, config, dir, table.teacher_ms, log);
            write_result(result_file, s, inputs);
          }
          report.targets.push_back(std::move(s));
          continue;
        }
        std::string why;
        for (const std::string& name : changed) why += (why.empty() ? "" : ", ") + name;
        if (s.budget_ms != budget) why += std::string(why.empty() ? "" : ", ") + "budget";
        if (why.empty()) why = "its file differs from the recorded SHA-256";
        log << "== " << t.name << ": the student is remade (changed since it was made: " << why << ")\n";
      }
    }
    latency::DeviceLink* link = links.count(t.name) ? links[t.name].get() : nullptr;

    log << "== 4. search " << t.name << " (budget " << budget << " ms)\n";
    const auto search_start = Clock::now();
    search::SearchOptions search_options;
    search_options.log = &log;
    // The search aims kSearchMargin under the budget: a student measured at
    // the budget's edge during the search may land just over it at acceptance.
    config::TargetConfig searched = t;
    (searched.budget_ms > 0 ? searched.budget_ms : searched.budget_ratio) *= kSearchMargin;
    search::SearchResult found;
    try {
      found = search::search_target(store, config, searched, request.teacher, table, link, search_options);
    } catch (const search::SearchError& e) {
      // This target cannot be served (for example no random candidate fits);
      // the others still can: reported as "no student", never hidden.
      found.message = e.what();
    }
    StudentSummary s;
    s.figures.metric = data.head.metric_name();
    s.search_seconds = seconds_since(search_start);
    s.target = t.name;
    s.device = t.device == "agent" ? "agent " + t.address : t.device;
    s.backend = t.backend;
    s.threads = t.threads;
    s.budget_ms = budget;
    s.memory_budget_bytes = t.memory_budget_bytes;
    s.teacher_latency_ms = table.teacher_ms;
    if (!found.winner) {
      // No candidate met the budget as measured: said so, never hidden.
      s.acceptance = "no student: " + found.message;
      log << "  " << t.name << ": " << s.acceptance << "\n";
      report.targets.push_back(std::move(s));
      continue;
    }
    s.predicted_ms = found.winner->predicted_ms;
    s.accuracy_before_finetune = found.winner->accuracy;
    s.replaced = replaced_spans(store, found.winner->keys);

    log << "== 5. fine-tune " << t.name << " (" << found.winner->keys.size() << " replacement(s))\n";
    const ir::Graph stitched = house::stitch_student(teacher, analysis, store, found.winner->keys);
    const FinetuneResult tuned = finetune_student(
        stitched, teacher, data, config.finetune, config.run.seed, config.run.threads, [&](const FinetuneProgress& p) {
          log << "  fine-tune " << t.name << ": step " << p.step << "/" << p.steps << " loss " << p.loss << " ("
              << static_cast<int>(p.seconds) << " s)\n";
        });
    if (!tuned.ok) throw std::runtime_error("target " + t.name + ": " + tuned.reason);
    s.finetune_seconds = tuned.seconds;

    fs::create_directories(dir);
    const std::vector<uint8_t> bytes = exporter::write_bspk(tuned.student);
    house::write_file_atomically((dir / "student.bspk").string(), bytes);
    const std::string onnx = onnx_export::write_onnx(tuned.student);
    house::write_file_atomically((dir / "student.onnx").string(), std::vector<uint8_t>(onnx.begin(), onnx.end()));
    s.bspk = fs::relative(dir / "student.bspk", out).string();
    s.onnx = fs::relative(dir / "student.onnx", out).string();
    const ir::GraphSummary summary = ir::summarize(tuned.student);
    s.params = summary.parameters;
    s.flops = summary.flops;

    data::BatchLoader test = house::make_loader(data, data::Split::kTest, 0);
    const task::TaskScores scores =
        task::score_on_runtime(data.head, bytes, test, &references, {t.backend, t.threads}).scores;
    s.accuracy = scores.score;
    s.figures = figures_of(scores);
    s.meets_floor = s.accuracy >= config.finetune.metric_floor;
    log << "  " << t.name << ": test " << scores.metric << " " << 100 * s.accuracy << "% (teacher "
        << 100 * report.teacher.accuracy << "%)\n";

    fs::remove_all(dir / "acceptance");  // a bundle or report of an earlier student answers nothing now
    accept_student(s, link, bytes, tuned.student, teacher, data, t, budget, config, dir, table.teacher_ms, log);
    write_result(result_file, s, inputs);
    report.targets.push_back(std::move(s));
  }

  report.total_seconds = seconds_since(start);
  write_report(with_other_targets(report, config, out), out.string());
  return report;
}

}  // namespace bespoke::pipeline
