#include "search/end_measurement.h"

#include <algorithm>

#include "export/bspk_writer.h"
#include "house/student.h"
#include "latency/statistics.h"
#include "search/search_error.h"

namespace bespoke::search {

namespace {

using latency::median;

}  // namespace

MeasuredCandidate unmeasured(const ScoredCandidate& s, double budget_ms) {
  MeasuredCandidate m;
  m.keys = s.keys;
  m.accuracy = s.score.accuracy;
  m.mean_loss = s.score.mean_loss;
  m.predicted_ms = s.prediction.ms;
  m.predicted_memory_bytes = s.prediction.memory_bytes;
  m.budget_ms = budget_ms;
  m.meets_budget = s.feasible;
  return m;
}

std::vector<ScoredCandidate> best_candidates(const SearchTrace& trace, int64_t count) {
  std::vector<ScoredCandidate> feasible;
  for (const ScoredCandidate& s : trace.evaluated())
    if (s.feasible) feasible.push_back(s);
  std::stable_sort(feasible.begin(), feasible.end(), better);
  if (static_cast<int64_t>(feasible.size()) > count) feasible.resize(static_cast<size_t>(count));
  return feasible;
}

std::vector<MeasuredCandidate> measure_candidates(latency::DeviceLink* link, const config::TargetConfig& target,
                                                  const config::ProfileConfig& profile, const ir::Graph& teacher,
                                                  const blocks::BlockAnalysis& analysis, const house::HouseStore& store,
                                                  const std::vector<ScoredCandidate>& candidates,
                                                  const Budget& budget) {
  std::vector<MeasuredCandidate> out;
  for (const ScoredCandidate& s : candidates) out.push_back(unmeasured(s, budget.ms));
  if (!link || out.empty()) return out;

  agent::MeasureRequest request;
  request.models.push_back(exporter::write_bspk(house::stitch_student(teacher, analysis, store, {})));
  for (const ScoredCandidate& s : candidates)
    request.models.push_back(exporter::write_bspk(house::stitch_student(teacher, analysis, store, s.keys)));
  request.settings.backend = target.backend;
  request.settings.threads = target.threads;
  request.warmup = static_cast<int>(profile.warmup);
  request.runs = static_cast<int>(profile.runs);
  request.rounds = static_cast<int>(profile.rounds);
  request.seed = static_cast<uint32_t>(profile.seed);
  request.profile_blocks = false;
  const agent::MeasureReply reply = link->measure(request);
  if (reply.models.size() != out.size() + 1)
    throw SearchError("target " + target.name + ": the device measured " + std::to_string(reply.models.size()) +
                      " of " + std::to_string(out.size() + 1) + " models");
  const auto medians_of = [](const agent::ModelMeasurement& r, bool p90) {
    std::vector<double> v;
    for (const agent::Round& round : r.rounds) v.push_back(p90 ? round.p90_ms : round.median_ms);
    return median(v);
  };
  const double teacher_now = medians_of(reply.models[0], false);
  const double applied = target.budget_ratio > 0.0 ? target.budget_ratio * teacher_now : budget.ms;
  for (size_t i = 0; i < out.size(); ++i) {
    const agent::ModelMeasurement& r = reply.models[i + 1];
    MeasuredCandidate& m = out[i];
    m.measured = true;
    m.median_ms = medians_of(r, false);
    m.p90_ms = medians_of(r, true);
    m.arena_bytes = r.arena_bytes;
    m.weights_bytes = r.weights_bytes;
    m.budget_ms = applied;
    m.teacher_median_ms = teacher_now;
    m.meets_budget =
        m.median_ms <= applied &&
        (budget.memory_bytes <= 0 || m.arena_bytes + m.weights_bytes <= static_cast<uint64_t>(budget.memory_bytes));
  }
  return out;
}

std::optional<size_t> pick_winner(const std::vector<MeasuredCandidate>& measured) {
  std::optional<size_t> best;
  for (size_t i = 0; i < measured.size(); ++i) {
    const MeasuredCandidate& m = measured[i];
    if (!m.meets_budget) continue;
    const double ms = m.measured ? m.median_ms : m.predicted_ms;
    if (!best) {
      best = i;
      continue;
    }
    const MeasuredCandidate& b = measured[*best];
    const double best_ms = b.measured ? b.median_ms : b.predicted_ms;
    if (m.accuracy > b.accuracy || (m.accuracy == b.accuracy && ms < best_ms)) best = i;
  }
  return best;
}

}  // namespace bespoke::search
