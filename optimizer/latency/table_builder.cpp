#include "latency/table_builder.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "latency/latency_error.h"
#include "latency/statistics.h"

namespace bespoke::latency {

std::string settings_text(const MeasureSettings& s, const std::vector<Probe>& probes) {
  std::string text = "backend=" + s.backend + " threads=" + std::to_string(s.threads) +
                     " warmup=" + std::to_string(s.warmup) + " runs=" + std::to_string(s.runs) +
                     " rounds=" + std::to_string(s.rounds) + " seed=" + std::to_string(s.seed) + "\n";
  for (const Probe& p : probes) text += p.name + "\n";
  return text;
}

ProbeMeasurement probe_measurement(const agent::ModelMeasurement& m, size_t round_in_reply, int round,
                                   const std::string& probe) {
  if (round_in_reply >= m.rounds.size())
    throw LatencyError("probe '" + probe + "': the measurement has " + std::to_string(m.rounds.size()) +
                       " rounds, not " + std::to_string(round_in_reply + 1));
  ProbeMeasurement out;
  out.round = round;
  out.probe = probe;
  out.end_to_end_ms = m.rounds[round_in_reply].median_ms;
  out.arena_bytes = m.arena_bytes;
  out.weights_bytes = m.weights_bytes;
  out.backends = backends_text(m.backends);
  for (const agent::ProfileTime& b : m.blocks) {
    if (round_in_reply >= b.median_ms.size())
      throw LatencyError("probe '" + probe + "': block '" + b.name + "' has no time for round " +
                         std::to_string(round_in_reply + 1));
    out.blocks.push_back({b.id, b.name, b.median_ms[round_in_reply]});
  }
  return out;
}

std::string backends_text(const std::vector<agent::BackendUse>& backends) {
  std::string text;
  for (const agent::BackendUse& b : backends)
    text += (text.empty() ? "" : ", ") + b.backend + " " + std::to_string(b.operators);
  return text;
}

Fingerprint fingerprint_of(const agent::Device& device, const MeasureSettings& settings,
                           const std::vector<agent::BackendUse>& teacher_backends) {
  Fingerprint f;
  f.cpu = device.cpu;
  f.cores = device.cores;
  f.isa = device.isa;
  f.runtime_version = device.runtime_version;
  f.backend = settings.backend + " -> " + backends_text(teacher_backends);
  f.threads = settings.threads;
  return f;
}

const BlockTime* find_block(const std::vector<BlockTime>& blocks, const std::string& key) {
  for (const BlockTime& b : blocks) {
    if (b.name == key) return &b;
    if (b.name.size() > key.size() && b.name.compare(b.name.size() - key.size(), key.size(), key) == 0 &&
        b.name[b.name.size() - key.size() - 1] == '/')
      return &b;
  }
  return nullptr;
}

LatencyTable build_table(const std::string& target, const Fingerprint& device, const ProbeHost& host,
                         const std::vector<house::AlternativeRecord>& alternatives, const std::vector<Probe>& probes,
                         int rounds, const std::vector<ProbeMeasurement>& measurements) {
  std::map<std::pair<std::string, int>, const ProbeMeasurement*> by;
  for (const ProbeMeasurement& m : measurements) by[{m.probe, m.round}] = &m;
  const auto get = [&](const std::string& probe, int round) -> const ProbeMeasurement& {
    const auto it = by.find({probe, round});
    if (it == by.end())
      throw LatencyError("target " + target + ": no measurement of probe '" + probe + "' in round " +
                         std::to_string(round) + " (the profile is incomplete)");
    return *it->second;
  };

  LatencyTable table;
  table.target = target;
  table.device = device;
  std::vector<double> teacher_rounds;
  for (int r = 0; r < rounds; ++r) teacher_rounds.push_back(get(kTeacherEndToEnd, r).end_to_end_ms);
  table.teacher_ms = median(teacher_rounds);
  table.teacher_drift = table.teacher_ms > 0 ? (*std::max_element(teacher_rounds.begin(), teacher_rounds.end()) -
                                                *std::min_element(teacher_rounds.begin(), teacher_rounds.end())) /
                                                   table.teacher_ms
                                             : 0.0;
  const ProbeMeasurement& teacher0 = get(kTeacherEndToEnd, 0);
  table.teacher_arena_bytes = teacher0.arena_bytes;
  table.teacher_weights_bytes = teacher0.weights_bytes;

  // Every profiled figure is normalised to the profiled teacher's median
  // speed: a measurement taken while the device ran at x times that speed
  // (its reference, measured interleaved with it) is scaled by 1 / x. Then
  // `to_plain` turns profiled milliseconds into plain end-to-end ones.
  std::vector<double> teacher_profiled;
  for (int r = 0; r < rounds; ++r) teacher_profiled.push_back(get(kTeacherProfiled, r).end_to_end_ms);
  const double teacher_profiled_ms = median(teacher_profiled);
  const auto normaliser = [&](const ProbeMeasurement& m) {
    return m.reference_ms > 0 ? teacher_profiled_ms / m.reference_ms : 1.0;
  };
  const double to_plain = teacher_profiled_ms > 0 ? table.teacher_ms / teacher_profiled_ms : 1.0;

  const size_t units = host.analysis.units.size();
  table.unit_ms.assign(units, 0.0);
  for (size_t u = 0; u < units; ++u) {
    std::vector<double> ms;
    for (int r = 0; r < rounds; ++r) {
      const ProbeMeasurement& m = get(kTeacherProfiled, r);
      const auto b = std::find_if(m.blocks.begin(), m.blocks.end(), [&](const BlockTime& t) { return t.id == u; });
      if (b == m.blocks.end())
        throw LatencyError("target " + target + ": the profiled teacher has no block for unit " + std::to_string(u));
      ms.push_back(b->ms * normaliser(m));
    }
    table.unit_ms[u] = median(ms);
    table.unit_weights_bytes.push_back(static_cast<uint64_t>(host.analysis.units[u].params) * sizeof(float));
  }

  std::map<std::string, const house::AlternativeRecord*> records;
  for (const house::AlternativeRecord& a : alternatives) records[a.key] = &a;
  for (const house::AlternativeRecord& a : alternatives) {
    if (is_identity(a)) table.alternatives[a.key] = AlternativeLatency{0.0, table.teacher_arena_bytes, 0};
  }
  for (const Probe& probe : probes) {
    // Each alternative's own block, median over rounds.
    std::vector<double> own(probe.keys.size()), saving(probe.keys.size());
    std::vector<double> probe_rounds;
    uint64_t arena = 0;
    for (int r = 0; r < rounds; ++r) {
      const ProbeMeasurement& m = get(probe.name, r);
      probe_rounds.push_back(m.end_to_end_ms * normaliser(m));
      arena = m.arena_bytes;
    }
    double predicted = teacher_profiled_ms;
    for (size_t k = 0; k < probe.keys.size(); ++k) {
      const std::string& key = probe.keys[k];
      std::vector<double> ms;
      for (int r = 0; r < rounds; ++r) {
        const ProbeMeasurement& m = get(probe.name, r);
        const BlockTime* b = find_block(m.blocks, key);
        if (b == nullptr)
          throw LatencyError("target " + target + ": probe '" + probe.name + "' has no block named '" + key + "'");
        ms.push_back(b->ms * normaliser(m));
      }
      own[k] = median(ms);
      const auto rec = records.find(key);
      if (rec == records.end())
        throw LatencyError("target " + target + ": probe '" + probe.name + "' names no alternative '" + key + "'");
      double replaced = 0.0;
      for (int u = rec->second->cut_begin; u < rec->second->cut_end && u < static_cast<int>(units); ++u)
        replaced += table.unit_ms[static_cast<size_t>(u)];
      saving[k] = std::fabs(replaced - own[k]);
      predicted += own[k] - replaced;
    }
    // In context: the kept units of a probe do not cost exactly what they
    // cost in the teacher (cache and memory traffic change with what runs
    // before them). What the probe's end-to-end time differs from the
    // blocks' prediction is shared among its alternatives in proportion to
    // the work each removes or adds, so that a student made of exactly this
    // probe's alternatives is predicted as measured.
    const double residual = median(probe_rounds) - predicted;
    double total_saving = 0.0;
    for (double v : saving) total_saving += v;
    for (size_t k = 0; k < probe.keys.size(); ++k) {
      const double share = total_saving > 0 ? saving[k] / total_saving : 1.0 / static_cast<double>(probe.keys.size());
      const auto rec = records.find(probe.keys[k]);
      const uint64_t weights = static_cast<uint64_t>(rec->second->params) * sizeof(float);
      table.alternatives[probe.keys[k]] =
          AlternativeLatency{std::max(0.0, (own[k] + share * residual) * to_plain), arena, weights};
    }
  }
  for (double& ms : table.unit_ms) ms *= to_plain;
  return table;
}

}  // namespace bespoke::latency
