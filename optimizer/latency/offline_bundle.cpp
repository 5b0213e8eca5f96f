#include "latency/offline_bundle.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "latency/latency_error.h"
#include "latency/latency_store.h"
#include "latency/report_field.h"
#include "latency/sha256.h"

namespace bespoke::latency {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LatencyError(path + ": cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw LatencyError(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
}

}  // namespace

Bundle plan_bundle(const house::HouseStore& store, const config::ProfileConfig& profile,
                   const config::TargetConfig& target, const ir::Graph& teacher) {
  Bundle b;
  b.target = target.name;
  b.settings = measure_settings(target, profile);
  const std::vector<Probe> probes = plan_probes(store.alternatives());
  const ProbeHost host = make_probe_host(teacher);
  std::vector<uint8_t> teacher_bytes = probe_model(host, store, {});
  const std::string teacher_hash = sha256_hex(teacher_bytes);
  b.models.push_back({kTeacherEndToEnd, "teacher.bspk", teacher_bytes, teacher_hash, false});
  b.models.push_back({kTeacherProfiled, "teacher.bspk", std::move(teacher_bytes), teacher_hash, true});
  for (size_t i = 0; i < probes.size(); ++i) {
    char file[32];
    std::snprintf(file, sizeof file, "probe-%03zu.bspk", i + 1);
    std::vector<uint8_t> bytes = probe_model(host, store, probes[i].keys);
    const std::string hash = sha256_hex(bytes);
    b.models.push_back({probes[i].name, file, std::move(bytes), hash, true});
  }
  std::string identity = std::string(kManifestFormat) + " 1\n" + b.target + "\n" + settings_text(b.settings, probes);
  for (const BundleModel& m : b.models) identity += m.name + " " + m.sha256 + "\n";
  b.id = sha256_hex(identity);
  return b;
}

void write_bundle(const Bundle& b, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw LatencyError(dir + ": cannot create the folder: " + ec.message());
  json models = json::array();
  std::map<std::string, bool> written;
  for (const BundleModel& m : b.models) {
    if (!written[m.file]) house::write_file_atomically((fs::path(dir) / m.file).string(), m.bytes);
    written[m.file] = true;
    models.push_back(
        {{"name", m.name}, {"file", m.file}, {"bytes", m.bytes.size()}, {"sha256", m.sha256}, {"profile", m.profile}});
  }
  const json manifest = {{"format", kManifestFormat},
                         {"version", 1},
                         {"id", b.id},
                         {"target", b.target},
                         {"settings",
                          {{"backend", b.settings.backend},
                           {"threads", b.settings.threads},
                           {"warmup", b.settings.warmup},
                           {"runs", b.settings.runs},
                           {"rounds", b.settings.rounds},
                           {"seed", b.settings.seed}}},
                         {"models", models}};
  const std::string text = manifest.dump(2) + "\n";
  house::write_file_atomically((fs::path(dir) / "manifest.json").string(),
                               std::vector<uint8_t>(text.begin(), text.end()));
}

agent::ModelMeasurement measurement_from_json(const json& m, const std::string& where) {
  agent::ModelMeasurement out;
  for (const json& r : report_field<json>(m, "rounds", where)) {
    out.rounds.push_back({report_field<double>(r, "median_ms", where + ".rounds"),
                          report_field<double>(r, "p90_ms", where + ".rounds"),
                          report_field<double>(r, "min_ms", where + ".rounds")});
  }
  for (const json& b : report_field<json>(m, "blocks", where)) {
    agent::ProfileTime t;
    t.id = report_field<uint32_t>(b, "id", where + ".blocks");
    t.name = report_field<std::string>(b, "name", where + ".blocks");
    t.median_ms = report_field<std::vector<double>>(b, "median_ms", where + ".blocks");
    out.blocks.push_back(std::move(t));
  }
  out.arena_bytes = report_field<uint64_t>(m, "arena_bytes", where);
  out.weights_bytes = report_field<uint64_t>(m, "weights_bytes", where);
  for (const json& b : report_field<json>(m, "backends", where))
    out.backends.push_back({report_field<std::string>(b, "backend", where + ".backends"),
                            report_field<uint32_t>(b, "operators", where + ".backends")});
  return out;
}

agent::Device device_from_json(const json& d, const std::string& where) {
  agent::Device device;
  device.cpu = report_field<std::string>(d, "cpu", where);
  device.cores = report_field<int>(d, "cores", where);
  device.isa = report_field<std::string>(d, "isa", where);
  device.runtime_version = report_field<uint32_t>(d, "runtime_version", where);
  return device;
}

std::string report_target(const std::string& report_path) {
  const json report = read_json(report_path);
  if (report_field<std::string>(report, "format", report_path) != kReportFormat)
    throw LatencyError(report_path + ": not a profile report (format is not \"" + kReportFormat + "\")");
  return report_field<std::string>(report, "target", report_path);
}

ProfileResult import_report(house::HouseStore& house_store, const config::ProfileConfig& profile,
                            const config::TargetConfig& target, const ir::Graph& teacher,
                            const std::string& report_path, const ProfileOptions& options, std::ostream& progress) {
  const auto start = std::chrono::steady_clock::now();
  const json report = read_json(report_path);
  if (report_field<std::string>(report, "format", report_path) != kReportFormat)
    throw LatencyError(report_path + ": not a profile report (format is not \"" + kReportFormat + "\")");
  const Bundle bundle = plan_bundle(house_store, profile, target, teacher);
  const std::string id = report_field<std::string>(report, "manifest_id", report_path);
  if (id != bundle.id)
    throw LatencyError(report_path + ": answers manifest " + id.substr(0, 16) +
                       "..., not this house's bundle for target " + target.name + " (" + bundle.id.substr(0, 16) +
                       "...): another manifest, or the house or settings changed since the export");
  const json models = report_field<json>(report, "models", report_path);
  if (!models.is_array() || models.size() != bundle.models.size())
    throw LatencyError(report_path + ": has " + std::to_string(models.is_array() ? models.size() : 0) +
                       " models, the manifest " + std::to_string(bundle.models.size()));
  const agent::Device device =
      device_from_json(report_field<json>(report, "device", report_path), report_path + ": device");

  std::vector<agent::ModelMeasurement> measured;
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string where = report_path + ": models[" + std::to_string(i) + "]";
    const BundleModel& expected = bundle.models[i];
    if (report_field<std::string>(models[i], "name", where) != expected.name ||
        report_field<std::string>(models[i], "sha256", where) != expected.sha256)
      throw LatencyError(where + ": is not the manifest's model '" + expected.name + "' (name or SHA-256 differs)");
    measured.push_back(measurement_from_json(models[i], where));
    if (measured.back().rounds.size() != static_cast<size_t>(bundle.settings.rounds))
      throw LatencyError(where + ": " + std::to_string(measured.back().rounds.size()) + " rounds, the manifest asks " +
                         std::to_string(bundle.settings.rounds));
  }
  const Fingerprint fingerprint = fingerprint_of(device, bundle.settings, measured[0].backends);
  LatencyStore store(house_store);
  check_fingerprint(store, target.name, fingerprint, options.force);
  const std::vector<Probe> probes = plan_probes(house_store.alternatives());
  store.start_target(TargetRecord{target.name, fingerprint, settings_text(bundle.settings, probes), false});
  ProfileResult result;
  result.probes = probes.size();
  // bespoke-bench measures all profiled models of a round in one
  // interleaved measurement: the profiled teacher's round is their reference.
  size_t reference = 0;
  while (reference < bundle.models.size() && bundle.models[reference].name != kTeacherProfiled) ++reference;
  for (size_t i = 0; i < measured.size(); ++i) {
    for (int r = 0; r < bundle.settings.rounds; ++r) {
      ProbeMeasurement m = probe_measurement(measured[i], static_cast<size_t>(r), r, bundle.models[i].name);
      if (bundle.models[i].profile && reference < measured.size())
        m.reference_ms = measured[reference].rounds[static_cast<size_t>(r)].median_ms;
      store.put_measurement(target.name, m);
      ++result.measured;
    }
  }
  result.table = build_table(target.name, fingerprint, make_probe_host(teacher), house_store.alternatives(), probes,
                             bundle.settings.rounds, store.measurements(target.name));
  store.put_table(result.table);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char line[200];
  std::snprintf(line, sizeof line, "target %s: imported %zu measurements; teacher %.4f ms (drift %.1f%%)\n",
                target.name.c_str(), result.measured, result.table.teacher_ms, 100.0 * result.table.teacher_drift);
  progress << line;
  return result;
}

}  // namespace bespoke::latency
