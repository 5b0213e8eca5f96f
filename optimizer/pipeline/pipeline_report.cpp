#include "pipeline/pipeline_report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "pipeline/scatter_plot.h"

namespace bespoke::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

std::string millions(int64_t n) { return fixed(static_cast<double>(n) / 1e6, 3) + " M"; }

void write_text(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error(path + ": cannot write");
  }
  fs::rename(tmp, path);
}

std::string status_of(const StudentSummary& s) {
  if (s.bspk.empty()) return "no student";
  std::string problems;
  auto add = [&problems](const std::string& p) { problems += (problems.empty() ? "" : ", ") + p; };
  const bool pending = s.acceptance.rfind("pending", 0) == 0;  // an offline target's device has not answered yet
  if (pending) add("pending acceptance on the device");
  if (!s.meets_budget && !pending) add("over budget");
  if (!s.meets_memory && !pending) add("over memory budget");
  if (!s.meets_floor) add("below " + s.figures.metric + " floor");
  if (s.acceptance != "accepted" && !pending) add("not accepted on the device");
  return problems.empty() ? "ok" : problems;
}

json figures_json(const TaskFigures& f) {
  json all = json::object();
  for (const auto& [name, value] : f.all) all[name] = value;
  return all;
}

TaskFigures figures_from_json(const json& j) {
  TaskFigures f;
  f.metric = j.at("metric").get<std::string>();
  for (const auto& [name, value] : j.at("metrics").items()) f.all.emplace_back(name, value.get<double>());
  // JSON objects are ordered by key here: the metric itself goes first again.
  std::stable_partition(f.all.begin(), f.all.end(), [&](const auto& p) { return p.first == f.metric; });
  f.against_teacher = j.value("against_teacher", false);
  return f;
}

// "test accuracy", "test line_accuracy (agreement with the teacher)".
std::string metric_heading(const TaskFigures& f) {
  return "test " + f.metric + (f.against_teacher ? " (vs teacher)" : "");
}

std::string other_figures(const TaskFigures& f) {
  std::string text;
  for (size_t i = 1; i < f.all.size(); ++i)
    text += (text.empty() ? "" : ", ") + f.all[i].first + " " + fixed(100 * f.all[i].second, 2) + "%";
  return text;
}

}  // namespace

json to_json(const StudentSummary& s) {
  json replaced = json::array();
  for (const ReplacedSpan& r : s.replaced)
    replaced.push_back({{"key", r.key},
                        {"kind", r.kind},
                        {"cut_begin", r.cut_begin},
                        {"cut_end", r.cut_end},
                        {"units", r.units},
                        {"origin_model", r.origin_model}});
  return {{"name", s.target},
          {"device", s.device},
          {"backend", s.backend},
          {"threads", s.threads},
          {"budget_ms", s.budget_ms},
          {"memory_budget_bytes", s.memory_budget_bytes},
          {"teacher_latency_ms", s.teacher_latency_ms},
          {"predicted_ms", s.predicted_ms},
          {"latency_ms", s.latency_ms},
          {"p90_ms", s.p90_ms},
          {"metric", s.figures.metric},
          {"score", s.accuracy},
          {"metrics", figures_json(s.figures)},
          {"against_teacher", s.figures.against_teacher},
          {"validation_score_before_finetune", s.accuracy_before_finetune},
          {"params", s.params},
          {"flops", s.flops},
          {"arena_bytes", s.arena_bytes},
          {"weights_bytes", s.weights_bytes},
          {"replaced", replaced},
          {"bspk", s.bspk},
          {"onnx", s.onnx},
          {"sha256", s.sha256},
          {"acceptance", s.acceptance},
          {"acceptance_teacher_ms", s.acceptance_teacher_ms},
          {"acceptance_budget_ms", s.acceptance_budget_ms},
          {"acceptance_measurements", s.acceptance_measurements},
          {"meets_budget", s.meets_budget},
          {"meets_memory_budget", s.meets_memory},
          {"meets_metric_floor", s.meets_floor},
          {"status", status_of(s)},
          {"search_seconds", s.search_seconds},
          {"finetune_seconds", s.finetune_seconds}};
}

StudentSummary student_from_json(const json& j) {
  StudentSummary s;
  s.target = j.at("name").get<std::string>();
  s.device = j.at("device").get<std::string>();
  s.backend = j.at("backend").get<std::string>();
  s.threads = j.at("threads").get<int>();
  s.budget_ms = j.at("budget_ms").get<double>();
  s.memory_budget_bytes = j.at("memory_budget_bytes").get<int64_t>();
  s.teacher_latency_ms = j.at("teacher_latency_ms").get<double>();
  s.predicted_ms = j.at("predicted_ms").get<double>();
  s.latency_ms = j.at("latency_ms").get<double>();
  s.p90_ms = j.at("p90_ms").get<double>();
  s.accuracy = j.at("score").get<double>();
  s.figures = figures_from_json(j);
  s.accuracy_before_finetune = j.at("validation_score_before_finetune").get<double>();
  s.params = j.at("params").get<int64_t>();
  s.flops = j.at("flops").get<int64_t>();
  s.arena_bytes = j.at("arena_bytes").get<uint64_t>();
  s.weights_bytes = j.at("weights_bytes").get<uint64_t>();
  for (const json& r : j.at("replaced"))
    s.replaced.push_back({r.at("key").get<std::string>(), r.at("kind").get<std::string>(), r.at("cut_begin").get<int>(),
                          r.at("cut_end").get<int>(), r.at("units").get<std::string>(),
                          r.at("origin_model").get<std::string>()});
  s.bspk = j.at("bspk").get<std::string>();
  s.onnx = j.at("onnx").get<std::string>();
  s.sha256 = j.at("sha256").get<std::string>();
  s.acceptance = j.at("acceptance").get<std::string>();
  s.acceptance_teacher_ms = j.at("acceptance_teacher_ms").get<double>();
  s.acceptance_budget_ms = j.at("acceptance_budget_ms").get<double>();
  s.acceptance_measurements = j.value("acceptance_measurements", 1);
  s.meets_budget = j.at("meets_budget").get<bool>();
  s.meets_memory = j.at("meets_memory_budget").get<bool>();
  s.meets_floor = j.at("meets_metric_floor").get<bool>();
  s.search_seconds = j.at("search_seconds").get<double>();
  s.finetune_seconds = j.at("finetune_seconds").get<double>();
  return s;
}

json to_json(const PipelineReport& r) {
  json targets = json::array();
  for (const StudentSummary& s : r.targets) targets.push_back(to_json(s));
  json teacher = {{"metric", r.teacher.figures.metric},
                  {"score", r.teacher.accuracy},
                  {"metrics", figures_json(r.teacher.figures)},
                  {"against_teacher", r.teacher.figures.against_teacher},
                  {"latency_ms", r.teacher.latency_ms},
                  {"params", r.teacher.params},
                  {"flops", r.teacher.flops}};
  if (r.teacher.figures.metric == "accuracy") teacher["accuracy"] = r.teacher.accuracy;
  for (json& t : targets)
    if (t.at("metric") == "accuracy") t["accuracy"] = t.at("score");
  return {{"config", r.config},
          {"task", r.task},
          {"task_decision", r.task_decision},
          {"teacher", teacher},
          {"targets", targets},
          {"seconds", {{"house", r.house_seconds}, {"profile", r.profile_seconds}, {"total", r.total_seconds}}}};
}

std::string report_table(const PipelineReport& r) {
  std::ostringstream t;
  t << "| target | budget ms | latency ms (p90) | vs teacher | " << metric_heading(r.teacher.figures)
    << " | other figures | params | FLOPs | arena bytes | status "
       "|\n"
    << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  t << "| teacher | | " << fixed(r.teacher.latency_ms, 4) << " | 100% | " << fixed(100 * r.teacher.accuracy, 2)
    << "% | " << other_figures(r.teacher.figures) << " | " << millions(r.teacher.params) << " | "
    << millions(r.teacher.flops) << " | | |\n";
  for (const StudentSummary& s : r.targets) {
    if (s.bspk.empty()) {  // the search found no student: nothing was measured
      t << "| " << s.target << " | " << fixed(s.budget_ms, 4) << " | - | - | - | - | - | - | - | " << s.acceptance
        << " |\n";
      continue;
    }
    const double ratio = s.teacher_latency_ms > 0 ? s.latency_ms / s.teacher_latency_ms : 0.0;
    t << "| " << s.target << " | " << fixed(s.budget_ms, 4) << " | " << fixed(s.latency_ms, 4) << " ("
      << fixed(s.p90_ms, 4) << ") | " << fixed(100 * ratio, 0) << "% | " << fixed(100 * s.accuracy, 2) << "% ("
      << (s.accuracy >= r.teacher.accuracy ? "+" : "") << fixed(100 * (s.accuracy - r.teacher.accuracy), 2) << ") | "
      << other_figures(s.figures) << " | " << millions(s.params) << " | " << millions(s.flops) << " | " << s.arena_bytes << " | " << status_of(s) << " |\n";
  }
  return t.str();
}

void write_report(const PipelineReport& r, const std::string& dir) {
  write_text((fs::path(dir) / "report.json").string(), to_json(r).dump(2) + "\n");

  std::ostringstream md;
  md << "# Bespoke students\n\n"
     << "Task: " << r.task_decision << ". Latency: measured end to end on each target (median of interleaved "
     << "rounds). " << r.teacher.figures.metric << ": test split, through the runtime on the target's backend"
     << (r.teacher.figures.against_teacher ? ", against the teacher's outputs (the data has no labels)" : "")
     << ". Config: `" << r.config << "`.\n\n"
     << report_table(r) << "\n";
  for (const StudentSummary& s : r.targets) {
    if (s.bspk.empty()) {
      md << "## " << s.target << "\n\n" << s.acceptance << "\n\n";
      continue;
    }
    md << "## " << s.target << "\n\n"
       << "Device `" << s.device << "`, backend `" << s.backend << "`, " << s.threads << " thread(s); budget "
       << fixed(s.budget_ms, 4) << " ms"
       << (s.memory_budget_bytes > 0 ? ", memory budget " + std::to_string(s.memory_budget_bytes) + " B" : "")
       << ". Predicted " << fixed(s.predicted_ms, 4) << " ms, "
       << (s.acceptance_measurements == 0
               ? std::string("not measured on the device yet")
               : "measured " + fixed(s.latency_ms, 4) + " ms (p90 " + fixed(s.p90_ms, 4) + "; teacher " +
                     fixed(s.acceptance_teacher_ms, 4) + " ms in the same rounds). Arena " +
                     std::to_string(s.arena_bytes) + " B, weights " + std::to_string(s.weights_bytes) + " B")
       << ". Device check: " << s.acceptance
       << (s.acceptance_measurements > 1 ? " (measured twice: the first was over the budget)" : "") << ". Files: `"
       << s.bspk << "` (SHA-256 `" << s.sha256 << "`), `" << s.onnx << "`.\n\n";
    if (s.replaced.empty()) {
      md << "No block replaced: the teacher itself meets the budget.\n\n";
      continue;
    }
    md << "| teacher span | units | replaced by | kind | from |\n| --- | --- | --- | --- | --- |\n";
    for (const ReplacedSpan& p : s.replaced)
      md << "| " << p.cut_begin << "-" << p.cut_end << " | " << p.units << " | `" << p.key << "` | " << p.kind << " | "
         << p.origin_model << " |\n";
    md << "\n";
  }
  write_text((fs::path(dir) / "report.md").string(), md.str());

  static const std::array<unsigned char, 3> kColors[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},
                                                         {214, 39, 40},  {148, 103, 189}, {140, 86, 75}};
  Plot plot;
  plot.title = "Test " + r.teacher.figures.metric + " against measured latency";
  plot.x_label = "latency, ms (end to end, median)";
  plot.y_label = "test " + r.teacher.figures.metric + ", %";
  plot.series.push_back({"teacher", {0, 0, 0}, true, {{r.teacher.latency_ms, 100 * r.teacher.accuracy, "teacher"}}});
  for (size_t i = 0; i < r.targets.size(); ++i) {
    const StudentSummary& s = r.targets[i];
    if (s.bspk.empty()) continue;
    plot.series.push_back({s.target, kColors[i % 6], false, {{s.latency_ms, 100 * s.accuracy, s.target}}});
  }
  const std::string png = (fs::path(dir) / "pareto.png").string();
  write_scatter_png(plot, png + ".tmp.png");
  fs::rename(png + ".tmp.png", png);
}

}  // namespace bespoke::pipeline
