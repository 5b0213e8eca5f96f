#include "bench_manifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "agent/measurement.h"
#include "agent/protocol.h"

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

int in_range(const json& settings, const std::string& key, int low, int high, const std::string& where) {
  const int v = field<int>(settings, key, where);
  if (v < low || v > high)
    throw std::runtime_error(where + ": settings." + key + " = " + std::to_string(v) + " is not in " +
                             std::to_string(low) + ".." + std::to_string(high));
  return v;
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
  if (field<std::string>(manifest, "format", path) != "bespoke-profile-manifest")
    throw std::runtime_error(path + ": not a profile manifest (format is not \"bespoke-profile-manifest\")");
  if (field<int>(manifest, "version", path) != 1)
    throw std::runtime_error(path + ": manifest version " + manifest["version"].dump() + " is not 1");
  const json settings = field<json>(manifest, "settings", path);
  agent::MeasureRequest base;
  base.settings.backend = field<std::string>(settings, "backend", path + ": settings");
  base.settings.threads = in_range(settings, "threads", 0, agent::Limits::kThreads, path);
  base.warmup = in_range(settings, "warmup", 0, agent::Limits::kWarmup, path);
  base.runs = in_range(settings, "runs", 1, agent::Limits::kRuns, path);
  const int rounds = in_range(settings, "rounds", 1, agent::Limits::kRounds, path);
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
    const uint64_t bytes = field<uint64_t>(list[i], "bytes", where);
    if (m.file.empty() || m.file.find('/') != std::string::npos || m.file == "..")
      throw std::runtime_error(where + ": \"file\" must name a file in the manifest's folder");
    const std::string file = (folder / m.file).string();
    std::ifstream model(file, std::ios::binary);
    if (!model) throw std::runtime_error(file + ": missing (models[" + std::to_string(i) + "] of " + path + ")");
    m.bytes.assign(std::istreambuf_iterator<char>(model), std::istreambuf_iterator<char>());
    if (m.bytes.size() != bytes)
      throw std::runtime_error(file + ": " + std::to_string(m.bytes.size()) + " bytes, the manifest says " +
                               std::to_string(bytes) + " (an incomplete copy?)");
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

  const agent::Device device = agent::describe_device();
  ordered_json report;
  report["format"] = "bespoke-profile-report";
  report["version"] = 1;
  report["manifest_id"] = field<std::string>(manifest, "id", path);
  report["target"] = field<std::string>(manifest, "target", path);
  report["device"] = {{"cpu", device.cpu},
                      {"cores", device.cores},
                      {"isa", device.isa},
                      {"runtime_version", device.runtime_version},
                      {"api_version", device.api_version},
                      {"available_backends", device.available_backends}};
  report["models"] = ordered_json::array();
  for (const ManifestModel& m : models) {
    ordered_json item;
    item["name"] = m.name;
    item["file"] = m.file;
    item["sha256"] = m.sha256;
    item["rounds"] = ordered_json::array();
    for (const agent::Round& r : m.result.rounds)
      item["rounds"].push_back({{"median_ms", r.median_ms}, {"p90_ms", r.p90_ms}, {"min_ms", r.min_ms}});
    item["blocks"] = ordered_json::array();
    for (const agent::ProfileTime& b : m.result.blocks)
      item["blocks"].push_back({{"id", b.id}, {"name", b.name}, {"backend", b.backend}, {"median_ms", b.median_ms}});
    item["arena_bytes"] = m.result.arena_bytes;
    item["weights_bytes"] = m.result.weights_bytes;
    item["backends"] = ordered_json::array();
    for (const agent::BackendUse& b : m.result.backends)
      item["backends"].push_back({{"backend", b.backend}, {"operators", b.operators}});
    report["models"].push_back(std::move(item));
  }
  std::cout << report.dump() << std::endl;
}

}  // namespace bespoke::tools
