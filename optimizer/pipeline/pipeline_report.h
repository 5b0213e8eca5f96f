// What `bespoke-opt run` reports (into the output folder):
//   report.json  the machine-readable result: the teacher and one entry per target
//   report.md    a table per target (budget, measured latency, test accuracy,
//                parameters, FLOPs, arena bytes) and which blocks were replaced by what
//   pareto.png   test accuracy against measured latency: the teacher and every student
// Every figure is a measurement: latency end to end on the target (median of
// interleaved rounds), the task head's metric (accuracy, line accuracy, box
// F1: "metric" and "score" in report.json, "accuracy" too for classifiers) on
// the test split through the runtime on the target's backend. A student that misses its budget, its memory budget, the
// accuracy floor or the device's acceptance says so in every format.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace bespoke::pipeline {

struct ReplacedSpan {
  std::string key;   // the alternative, "s1-3/pruned/0.5"
  std::string kind;  // drop, pretrained, pruned, low_rank
  int cut_begin = 0, cut_end = 0;
  std::string units;  // teacher units it replaces, comma-separated
  std::string origin_model;
};

// The task head's figures of one model on the test split (task/task_metric.h).
struct TaskFigures {
  std::string metric = "accuracy";  // what `accuracy` below holds: accuracy, line_accuracy, box_f1
  std::vector<std::pair<std::string, double>> all;  // every figure of the task, `metric` first
  bool against_teacher = false;  // the split has no labels: agreement with the teacher's outputs
};

struct TeacherSummary {
  double accuracy = 0.0;    // the task metric's score (report.json "score"): test split, runtime
  TaskFigures figures;
  double latency_ms = 0.0;  // end to end on the first target
  int64_t params = 0, flops = 0;
};

struct StudentSummary {
  std::string target, device, backend;
  int threads = 1;
  double budget_ms = 0.0;
  int64_t memory_budget_bytes = 0;  // 0 = none
  double teacher_latency_ms = 0.0;  // on this target
  double predicted_ms = 0.0;
  double latency_ms = 0.0, p90_ms = 0.0;  // measured end to end on the target
  double accuracy = 0.0;                  // the task metric's score: test split, runtime, target's backend
  TaskFigures figures;
  double accuracy_before_finetune = 0.0;  // validation subset, LibTorch (the search's score)
  int64_t params = 0, flops = 0;
  uint64_t arena_bytes = 0, weights_bytes = 0;
  std::vector<ReplacedSpan> replaced;
  std::string bspk, onnx, sha256;      // files relative to the output folder
  std::string acceptance;              // "accepted" or what failed
  double acceptance_teacher_ms = 0.0;  // the teacher, measured side by side at acceptance
  double acceptance_budget_ms =
      0.0;                          // the budget held to at acceptance (the tighter of budget_ms, ratio x that teacher)
  int acceptance_measurements = 0;  // 1, or 2 when the first measurement was over the budget
  bool meets_budget = false, meets_memory = false, meets_floor = false;
  double search_seconds = 0.0, finetune_seconds = 0.0;
};

struct PipelineReport {
  std::string config;  // the effective config file written into the output folder
  std::string task = "classify";  // task::task_name of the teacher's head
  std::string task_decision;      // how it was decided (TaskHead::decision)
  TeacherSummary teacher;
  std::vector<StudentSummary> targets;
  double house_seconds = 0.0, profile_seconds = 0.0, total_seconds = 0.0;
};

nlohmann::json to_json(const StudentSummary& s);
StudentSummary student_from_json(const nlohmann::json& j);  // throws nlohmann::json::exception
nlohmann::json to_json(const PipelineReport& r);

// Writes report.json, report.md and pareto.png into `dir` (each through a
// temporary file and a rename).
void write_report(const PipelineReport& report, const std::string& dir);
// The table of every target, as printed at the end of a run.
std::string report_table(const PipelineReport& report);

}  // namespace bespoke::pipeline
