#include "latency/profiler.h"

#include <chrono>
#include <cstdio>

#include "latency/latency_error.h"
#include "latency/latency_store.h"

namespace bespoke::latency {

namespace {

agent::MeasureRequest request_for(const MeasureSettings& s, std::vector<std::vector<uint8_t>> models, bool profile,
                                  int warmup, int runs) {
  agent::MeasureRequest r;
  r.models = std::move(models);
  r.settings.backend = s.backend;
  r.settings.threads = s.threads;
  r.warmup = warmup;
  r.runs = runs;
  r.rounds = 1;
  r.profile_blocks = profile;
  r.seed = s.seed;
  return r;
}

std::string format_ms(double ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f ms", ms);
  return text;
}

}  // namespace

MeasureSettings measure_settings(const config::TargetConfig& target, const config::ProfileConfig& profile) {
  MeasureSettings s;
  s.backend = target.backend;
  s.threads = target.threads;
  s.warmup = static_cast<int>(profile.warmup);
  s.runs = static_cast<int>(profile.runs);
  s.rounds = static_cast<int>(profile.rounds);
  s.seed = static_cast<uint32_t>(profile.seed);
  return s;
}

void check_fingerprint(const LatencyStore& store, const std::string& name, const Fingerprint& device, bool force) {
  const std::optional<TargetRecord> stored = store.target(name);
  if (!stored || stored->device == device || force) return;
  throw LatencyError("target " + name + " was profiled on another device (" + stored->device.describe() +
                     "); this one is " + device.describe() + ": use --force to replace that profile");
}

ProfileResult profile_target(house::HouseStore& house_store, const config::ProfileConfig& profile,
                             const config::TargetConfig& target, const ir::Graph& teacher, DeviceLink& link,
                             const ProfileOptions& options, std::ostream& progress) {
  const auto start = std::chrono::steady_clock::now();
  const MeasureSettings settings = measure_settings(target, profile);
  const std::vector<house::AlternativeRecord> alternatives = house_store.alternatives();
  const std::vector<Probe> probes = plan_probes(alternatives);
  const ProbeHost host = make_probe_host(teacher);
  const std::vector<uint8_t> teacher_bytes = probe_model(host, house_store, {});

  // The fingerprint, with the backend the runtime really picks for the teacher.
  const agent::MeasureReply first = link.measure(request_for(settings, {teacher_bytes}, false, 0, 1));
  const Fingerprint device = fingerprint_of(link.device(), settings, first.models.at(0).backends);
  LatencyStore store(house_store);
  check_fingerprint(store, target.name, device, options.force);
  const std::string text = settings_text(settings, probes);
  const std::optional<TargetRecord> stored = store.target(target.name);
  if (!stored || !(stored->device == device) || stored->settings != text || options.fresh) {
    if (stored && !options.fresh)
      progress << "target " << target.name << ": settings, probes or device changed: measuring afresh\n";
    store.start_target(TargetRecord{target.name, device, text, false});
  }
  progress << "target " << target.name << ": " << device.describe() << "\n"
           << "  " << probes.size() << " probes for " << alternatives.size() << " alternatives, " << settings.rounds
           << " rounds of " << settings.runs << " runs\n";

  ProfileResult result;
  result.probes = probes.size();
  std::vector<std::pair<std::string, std::vector<std::string>>> models = {{kTeacherEndToEnd, {}},
                                                                          {kTeacherProfiled, {}}};
  for (const Probe& p : probes) models.push_back({p.name, p.keys});
  const size_t total = models.size() * static_cast<size_t>(settings.rounds);
  size_t index = 0;
  for (int round = 0; round < settings.rounds; ++round) {
    for (const auto& [name, keys] : models) {
      ++index;
      if (store.has_measurement(target.name, round, name)) {
        ++result.reused;
        continue;
      }
      // A probe is measured interleaved with the profiled teacher, whose
      // time then says how fast the device was (table_builder.h normalises).
      const bool profiled = name != kTeacherEndToEnd;
      std::vector<std::vector<uint8_t>> bytes = {teacher_bytes};
      if (!keys.empty()) bytes.push_back(probe_model(host, house_store, keys));
      const agent::MeasureReply reply =
          link.measure(request_for(settings, std::move(bytes), profiled, settings.warmup, settings.runs));
      if (reply.models.size() != (keys.empty() ? 1u : 2u))
        throw LatencyError("target " + target.name + ": the device answered " + std::to_string(reply.models.size()) +
                           " measurements");
      ProbeMeasurement m = probe_measurement(reply.models.back(), 0, round, name);
      if (profiled) m.reference_ms = reply.models[0].rounds.at(0).median_ms;
      store.put_measurement(target.name, m);
      ++result.measured;
      progress << "  [" << index << "/" << total << "] round " << round + 1 << " " << name << " "
               << format_ms(m.end_to_end_ms) << "\n";
      progress.flush();
    }
  }
  result.table =
      build_table(target.name, device, host, alternatives, probes, settings.rounds, store.measurements(target.name));
  store.put_table(result.table);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char line[200];
  std::snprintf(line, sizeof line,
                "target %s: teacher %.4f ms (drift %.1f%% over %d rounds), %zu measured, %zu reused, %.1f s\n",
                target.name.c_str(), result.table.teacher_ms, 100.0 * result.table.teacher_drift, settings.rounds,
                result.measured, result.reused, result.seconds);
  progress << line;
  return result;
}

}  // namespace bespoke::latency
