#include "bench_manifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <vector>

#include "agent/measurement.h"
#include "agent/protocol.h"
#include "tensor_io/npy.h"
#include "tensor_io/tensor_digest.h"

namespace bespoke::tools {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

struct ManifestModel {
  std::string name, file, sha256;
  std::vector<uint8_t> bytes;
  bool profile = true;
  agent::ModelMeasurement result;
};

template <typename T>
T field(const json& object, const std::string& key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) throw std::runtime_error(where + ": missing \"" + key + "\"");
  try {
    return object.at(key).get<T>();
  } catch (const json::exception&) {
    throw std::runtime_error(where + ": \"" + key + "\" has the wrong type");
  }
}

int in_range(const json& object, const std::string& key, int low, int high, const std::string& where) {
  const int v = field<int>(object, key, where);
  if (v < low || v > high)
    throw std::runtime_error(where + ": " + key + " = " + std::to_string(v) + " is not in " + std::to_string(low) +
                             ".." + std::to_string(high));
  return v;
}

// A file of the manifest's folder whose size the manifest states (no SHA-256
// here: the runtime does no hashing; the optimizer checks the hashes).
std::vector<uint8_t> read_listed_file(const fs::path& folder, const json& entry, const std::string& where) {
  const std::string name = field<std::string>(entry, "file", where);
  const uint64_t bytes = field<uint64_t>(entry, "bytes", where);
  if (name.empty() || name.find('/') != std::string::npos || name == "..")
    throw std::runtime_error(where + ": \"file\" must name a file in the manifest's folder");
  const std::string file = (folder / name).string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file + ": missing (" + where + ")");
  std::vector<uint8_t> content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.size() != bytes)
    throw std::runtime_error(file + ": " + std::to_string(content.size()) + " bytes, the manifest says " +
                             std::to_string(bytes) + " (an incomplete copy?)");
  return content;
}

agent::Settings settings_of(const json& object, const std::string& where) {
  agent::Settings s;
  s.backend = field<std::string>(object, "backend", where);
  s.threads = in_range(object, "threads", 0, agent::Limits::kThreads, where);
  return s;
}

// Appends round `round` of `m` (a one-round measurement) to `into`.
void append_round(agent::ModelMeasurement& into, const agent::ModelMeasurement& m) {
  into.rounds.push_back(m.rounds.at(0));
  if (into.blocks.empty()) {
    into.blocks = m.blocks;
  } else {
    for (size_t b = 0; b < into.blocks.size() && b < m.blocks.size(); ++b)
      into.blocks[b].median_ms.push_back(m.blocks[b].median_ms.at(0));
  }
  into.arena_bytes = m.arena_bytes;
  into.weights_bytes = m.weights_bytes;
  into.backends = m.backends;
}

ordered_json backends_json(const std::vector<agent::BackendUse>& backends) {
  ordered_json list = ordered_json::array();
  for (const agent::BackendUse& b : backends) list.push_back({{"backend", b.backend}, {"operators", b.operators}});
  return list;
}

// The fields of one model's measurement, after its "name" / "file" / "sha256".
void put_measurement(ordered_json& item, const agent::ModelMeasurement& m) {
  item["rounds"] = ordered_json::array();
  for (const agent::Round& r : m.rounds)
    item["rounds"].push_back({{"median_ms", r.median_ms}, {"p90_ms", r.p90_ms}, {"min_ms", r.min_ms}});
  item["blocks"] = ordered_json::array();
  for (const agent::ProfileTime& b : m.blocks)
    item["blocks"].push_back({{"id", b.id}, {"name", b.name}, {"backend", b.backend}, {"median_ms", b.median_ms}});
  item["arena_bytes"] = m.arena_bytes;
  item["weights_bytes"] = m.weights_bytes;
  item["backends"] = backends_json(m.backends);
}

// The head every report kind shares: format, version, manifest id, target, this device.
ordered_json report_head(const char* format, const json& manifest, const std::string& path) {
  const agent::Device device = agent::describe_device();
  ordered_json report;
  report["format"] = format;
  report["version"] = 1;
  report["manifest_id"] = field<std::string>(manifest, "id", path);
  report["target"] = field<std::string>(manifest, "target", path);
  report["device"] = {{"cpu", device.cpu},
                      {"cores", device.cores},
                      {"isa", device.isa},
                      {"runtime_version", device.runtime_version},
                      {"api_version", device.api_version},
                      {"available_backends", device.available_backends}};
  return report;
}

void bench_profile(const json& manifest, const std::string& path) {
  const json settings = field<json>(manifest, "settings", path);
  agent::MeasureRequest base;
  base.settings = settings_of(settings, path + ": settings");
  base.warmup = in_range(settings, "warmup", 0, agent::Limits::kWarmup, path + ": settings");
  base.runs = in_range(settings, "runs", 1, agent::Limits::kRuns, path + ": settings");
  const int rounds = in_range(settings, "rounds", 1, agent::Limits::kRounds, path + ": settings");
  base.rounds = 1;
  base.seed = field<uint32_t>(settings, "seed", path + ": settings");

  const fs::path folder = fs::path(path).parent_path();
  std::vector<ManifestModel> models;
  const json list = field<json>(manifest, "models", path);
  if (!list.is_array() || list.empty()) throw std::runtime_error(path + ": \"models\" is not a non-empty array");
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = path + ": models[" + std::to_string(i) + "]";
    ManifestModel m;
    m.name = field<std::string>(list[i], "name", where);
    m.file = field<std::string>(list[i], "file", where);
    m.sha256 = field<std::string>(list[i], "sha256", where);
    m.profile = field<bool>(list[i], "profile", where);
    m.bytes = read_listed_file(folder, list[i], where);
    models.push_back(std::move(m));
  }

  for (int round = 0; round < rounds; ++round) {
    for (const bool profiled : {false, true}) {
      agent::MeasureRequest request = base;
      request.profile_blocks = profiled;
      std::vector<ManifestModel*> subjects;
      for (ManifestModel& m : models) {
        if (m.profile != profiled) continue;
        request.models.push_back(m.bytes);
        subjects.push_back(&m);
      }
      if (subjects.empty()) continue;
      const agent::MeasureReply reply = agent::measure(request);
      for (size_t s = 0; s < subjects.size(); ++s) append_round(subjects[s]->result, reply.models.at(s));
    }
    std::cerr << "bespoke-bench: round " << round + 1 << "/" << rounds << " of " << models.size() << " models\n";
  }

  ordered_json report = report_head("bespoke-profile-report", manifest, path);
  report["models"] = ordered_json::array();
  for (const ManifestModel& m : models) {
    ordered_json item;
    item["name"] = m.name;
    item["file"] = m.file;
    item["sha256"] = m.sha256;
    put_measurement(item, m.result);
    report["models"].push_back(std::move(item));
  }
  std::cout << report.dump() << std::endl;
}

// An acceptance bundle: every run in order (agent::run_once), then every
// measurement (agent::measure, all its rounds interleaved, as the agent does).
void bench_acceptance(const json& manifest, const std::string& path) {
  const fs::path folder = fs::path(path).parent_path();
  std::map<std::string, std::vector<uint8_t>> models;  // by file name
  std::map<std::string, std::string> hashes;
  const json list = field<json>(manifest, "models", path);
  if (!list.is_array() || list.empty()) throw std::runtime_error(path + ": \"models\" is not a non-empty array");
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string where = path + ": models[" + std::to_string(i) + "]";
    const std::string file = field<std::string>(list[i], "file", where);
    hashes[file] = field<std::string>(list[i], "sha256", where);
    models[file] = read_listed_file(folder, list[i], where);
  }
  auto model = [&](const std::string& file, const std::string& where) -> const std::vector<uint8_t>& {
    if (!models.count(file)) throw std::runtime_error(where + ": model \"" + file + "\" is not in \"models\"");
    return models[file];
  };

  ordered_json report = report_head("bespoke-acceptance-report", manifest, path);
  report["runs"] = ordered_json::array();
  const json runs = field<json>(manifest, "runs", path);
  if (!runs.is_array()) throw std::runtime_error(path + ": \"runs\" is not an array");
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string where = path + ": runs[" + std::to_string(i) + "]";
    agent::RunRequest request;
    request.model = model(field<std::string>(runs[i], "model", where), where);
    request.settings = settings_of(runs[i], where);
    const json inputs = field<json>(runs[i], "inputs", where);
    if (!inputs.is_array()) throw std::runtime_error(where + ": \"inputs\" is not an array");
    for (size_t k = 0; k < inputs.size(); ++k) {
      const std::string at = where + ".inputs[" + std::to_string(k) + "]";
      HostTensor tensor;
      const rt::Status status = parse_npy(read_listed_file(folder, inputs[k], at), &tensor);
      if (!status.ok()) throw std::runtime_error(at + ": " + status.message());
      request.inputs.push_back({field<std::string>(inputs[k], "name", at), tensor.dims, std::move(tensor.data)});
    }
    const agent::RunReply reply = agent::run_once(request);
    ordered_json outputs = ordered_json::array();
    for (const agent::Tensor& t : reply.outputs)
      outputs.push_back(
          {{"name", t.name}, {"dims", t.dims}, {"data", t.data}, {"digest", tensor_digest(t.dims, t.data)}});
    report["runs"].push_back({{"outputs", outputs}, {"backends", backends_json(reply.backends)}});
  }
  std::cerr << "bespoke-bench: " << runs.size() << " run(s)\n";

  report["measures"] = ordered_json::array();
  const json measures = field<json>(manifest, "measures", path);
  if (!measures.is_array()) throw std::runtime_error(path + ": \"measures\" is not an array");
  for (size_t i = 0; i < measures.size(); ++i) {
    const std::string where = path + ": measures[" + std::to_string(i) + "]";
    const json& m = measures[i];
    agent::MeasureRequest request;
    request.settings = settings_of(m, where);
    request.warmup = in_range(m, "warmup", 0, agent::Limits::kWarmup, where);
    request.runs = in_range(m, "runs", 1, agent::Limits::kRuns, where);
    request.rounds = in_range(m, "rounds", 1, agent::Limits::kRounds, where);
    request.seed = field<uint32_t>(m, "seed", where);
    request.profile_blocks = field<bool>(m, "profile_blocks", where);
    const auto files = field<std::vector<std::string>>(m, "models", where);
    if (files.empty()) throw std::runtime_error(where + ": \"models\" is empty");
    for (const std::string& file : files) request.models.push_back(model(file, where));
    const agent::MeasureReply reply = agent::measure(request);
    ordered_json measured = ordered_json::array();
    for (size_t k = 0; k < files.size(); ++k) {
      ordered_json item;
      item["file"] = files[k];
      item["sha256"] = hashes[files[k]];
      put_measurement(item, reply.models.at(k));
      measured.push_back(std::move(item));
    }
    report["measures"].push_back({{"models", measured}});
    std::cerr << "bespoke-bench: measurement " << i + 1 << "/" << measures.size() << " of " << files.size()
              << " models\n";
  }
  std::cout << report.dump() << std::endl;
}

}  // namespace

void bench_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the manifest");
  json manifest;
  try {
    manifest = json::parse(in);
  } catch (const json::exception& e) {
    throw std::runtime_error(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  const std::string format = field<std::string>(manifest, "format", path);
  if (format != "bespoke-profile-manifest" && format != "bespoke-acceptance-manifest")
    throw std::runtime_error(path + ": format \"" + format +
                             "\" is neither \"bespoke-profile-manifest\" nor \"bespoke-acceptance-manifest\"");
  if (field<int>(manifest, "version", path) != 1)
    throw std::runtime_error(path + ": manifest version " + manifest["version"].dump() + " is not 1");
  if (format == "bespoke-profile-manifest")
    bench_profile(manifest, path);
  else
    bench_acceptance(manifest, path);
}

}  // namespace bespoke::tools
