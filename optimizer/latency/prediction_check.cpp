#include "latency/prediction_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "latency/latency_error.h"
#include "latency/probe_plan.h"
#include "latency/profiler.h"
#include "latency/statistics.h"
#include "random/seeded_random.h"

namespace bespoke::latency {

std::vector<std::vector<Choice>> random_students(const std::vector<house::AlternativeRecord>& alternatives,
                                                 size_t count, uint64_t seed) {
  std::vector<const house::AlternativeRecord*> done;
  for (const house::AlternativeRecord& a : alternatives)
    if (a.status == house::ItemStatus::kDone) done.push_back(&a);
  if (done.empty()) throw LatencyError("the house has no done alternative to make students of");
  random::Random rng(seed);
  std::set<std::set<std::string>> seen;
  std::vector<std::vector<Choice>> students;
  for (size_t attempt = 0; students.size() < count && attempt < 100 * count; ++attempt) {
    const size_t wanted = 1 + static_cast<size_t>(rng.below(4));
    const std::vector<int64_t> order = random::random_permutation(static_cast<int64_t>(done.size()), rng.next());
    std::vector<Choice> student;
    std::set<std::string> keys;
    for (int64_t i : order) {
      if (student.size() == wanted) break;
      const house::AlternativeRecord& a = *done[static_cast<size_t>(i)];
      bool overlaps = false;
      for (const Choice& c : student) overlaps = overlaps || (a.cut_begin < c.cut_end && c.cut_begin < a.cut_end);
      if (overlaps) continue;
      student.push_back(Choice{a.key, a.cut_begin, a.cut_end});
      keys.insert(a.key);
    }
    if (seen.insert(keys).second) students.push_back(std::move(student));
  }
  return students;
}

PredictionCheck check_prediction(const house::HouseStore& store, const config::ProfileConfig& profile,
                                 const config::TargetConfig& target, const ir::Graph& teacher, DeviceLink& link,
                                 size_t count, uint64_t seed, std::ostream& progress) {
  const LatencyTable table = load_latency_table(store, target.name);
  const MeasureSettings settings = measure_settings(target, profile);
  const ProbeHost host = make_probe_host(teacher);
  PredictionCheck check;
  check.target = target.name;

  agent::MeasureRequest request;
  request.settings.backend = settings.backend;
  request.settings.threads = settings.threads;
  request.warmup = settings.warmup;
  request.runs = settings.runs;
  request.rounds = settings.rounds;
  request.profile_blocks = false;
  request.seed = settings.seed;
  request.models.push_back(probe_model(host, store, {}));
  for (const std::vector<Choice>& choices : random_students(store.alternatives(), count, seed)) {
    StudentPrediction s;
    for (const Choice& c : choices) s.keys.push_back(c.key);
    s.predicted_ms = predict(table, choices).ms;
    request.models.push_back(probe_model(host, store, s.keys));
    check.students.push_back(std::move(s));
  }
  progress << "check " << target.name << ": measuring the teacher and " << check.students.size()
           << " random students, interleaved\n";
  progress.flush();
  const agent::MeasureReply reply = link.measure(request);
  if (reply.models.size() != request.models.size())
    throw LatencyError("target " + target.name + ": the device measured " + std::to_string(reply.models.size()) +
                       " of " + std::to_string(request.models.size()) + " models");
  const auto median_of_rounds = [](const agent::ModelMeasurement& m) {
    std::vector<double> v;
    for (const agent::Round& r : m.rounds) v.push_back(r.median_ms);
    return median(v);
  };
  check.teacher_ms = median_of_rounds(reply.models[0]);
  check.teacher_ratio = table.teacher_ms > 0 ? check.teacher_ms / table.teacher_ms : 0.0;
  std::vector<double> errors, corrected;
  for (size_t i = 0; i < check.students.size(); ++i) {
    StudentPrediction& s = check.students[i];
    s.measured_ms = median_of_rounds(reply.models[i + 1]);
    const auto error = [&](double predicted) {
      return s.measured_ms > 0 ? 100.0 * (predicted - s.measured_ms) / s.measured_ms : 0.0;
    };
    s.error_percent = error(s.predicted_ms);
    s.drift_corrected_error_percent = error(s.predicted_ms * check.teacher_ratio);
    errors.push_back(std::fabs(s.error_percent));
    corrected.push_back(std::fabs(s.drift_corrected_error_percent));
    if (std::fabs(s.error_percent) <= 10.0) ++check.within_10_percent;
    if (std::fabs(s.drift_corrected_error_percent) <= 10.0) ++check.drift_corrected_within_10_percent;
    char line[160];
    std::snprintf(line, sizeof line, "  student %2zu: predicted %.4f ms, measured %.4f ms, error %+.1f%%  ", i + 1,
                  s.predicted_ms, s.measured_ms, s.error_percent);
    std::string keys;
    for (const std::string& k : s.keys) keys += (keys.empty() ? "" : " + ") + k;
    progress << line << keys << "\n";
  }
  check.median_abs_error_percent = median(errors);
  for (double e : errors) check.worst_abs_error_percent = std::max(check.worst_abs_error_percent, e);
  check.drift_corrected_median_abs_error_percent = median(corrected);
  for (double e : corrected)
    check.drift_corrected_worst_abs_error_percent = std::max(check.drift_corrected_worst_abs_error_percent, e);
  char line[200];
  std::snprintf(
      line, sizeof line,
      "check %s: median error %.1f%%, worst %.1f%%, %zu of %zu within 10%% (teacher now %.4f ms, %.3fx the table's)\n",
      target.name.c_str(), check.median_abs_error_percent, check.worst_abs_error_percent, check.within_10_percent,
      check.students.size(), check.teacher_ms, check.teacher_ratio);
  progress << line;
  std::snprintf(
      line, sizeof line, "  drift-corrected (x%.3f): median error %.1f%%, worst %.1f%%, %zu of %zu within 10%%\n",
      check.teacher_ratio, check.drift_corrected_median_abs_error_percent,
      check.drift_corrected_worst_abs_error_percent, check.drift_corrected_within_10_percent, check.students.size());
  progress << line;
  return check;
}

}  // namespace bespoke::latency
