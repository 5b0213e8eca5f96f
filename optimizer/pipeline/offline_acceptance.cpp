#include "pipeline/offline_acceptance.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "house/house_store.h"
#include "latency/device_link.h"
#include "latency/latency_error.h"
#include "latency/offline_bundle.h"
#include "latency/report_field.h"
#include "latency/sha256.h"
#include "tensor_io/npy.h"
#include "tensor_io/tensor_digest.h"

namespace bespoke::pipeline {

namespace {

namespace fs = std::filesystem;
using latency::LatencyError;
using latency::report_field;
using nlohmann::json;
using nlohmann::ordered_json;

struct Requests {
  std::vector<agent::RunRequest> runs;
  std::vector<agent::MeasureRequest> measures;
};

// Keeps what accept_on_device() asks. Its answers only let it go on asking:
// outputs of the student's output size, zero-time rounds.
class RecordingLink : public latency::DeviceLink {
 public:
  explicit RecordingLink(size_t output_elements) : output_elements_(output_elements) {}
  const agent::Device& device() const override { return device_; }
  agent::RunReply run(const agent::RunRequest& request) override {
    requests.runs.push_back(request);
    agent::RunReply reply;
    reply.outputs.push_back({"", {}, std::vector<float>(output_elements_)});
    return reply;
  }
  agent::MeasureReply measure(const agent::MeasureRequest& request) override {
    requests.measures.push_back(request);
    agent::MeasureReply reply;
    reply.models.resize(request.models.size());
    for (agent::ModelMeasurement& m : reply.models) m.rounds.resize(static_cast<size_t>(request.rounds));
    return reply;
  }
  Requests requests;

 private:
  size_t output_elements_;
  agent::Device device_;
};

bool same_request(const agent::RunRequest& a, const agent::RunRequest& b) {
  if (a.model != b.model || a.settings.backend != b.settings.backend || a.settings.threads != b.settings.threads ||
      a.inputs.size() != b.inputs.size())
    return false;
  for (size_t i = 0; i < a.inputs.size(); ++i)
    if (a.inputs[i].name != b.inputs[i].name || a.inputs[i].dims != b.inputs[i].dims ||
        a.inputs[i].data != b.inputs[i].data)
      return false;
  return true;
}

bool same_request(const agent::MeasureRequest& a, const agent::MeasureRequest& b) {
  return a.models == b.models && a.settings.backend == b.settings.backend && a.settings.threads == b.settings.threads &&
         a.warmup == b.warmup && a.runs == b.runs && a.rounds == b.rounds && a.profile_blocks == b.profile_blocks &&
         a.seed == b.seed && a.profile_operators == b.profile_operators;
}

// Answers from the device's report, each request only if it is the bundle's
// next one of its kind.
class ReplayLink : public latency::DeviceLink {
 public:
  ReplayLink(std::string report, agent::Device device, Requests asked, std::vector<agent::RunReply> runs,
             std::vector<agent::MeasureReply> measures)
      : report_(std::move(report)),
        device_(std::move(device)),
        asked_(std::move(asked)),
        runs_(std::move(runs)),
        measures_(std::move(measures)) {}
  const agent::Device& device() const override { return device_; }
  agent::RunReply run(const agent::RunRequest& request) override {
    if (next_run_ >= runs_.size() || !same_request(request, asked_.runs[next_run_]))
      throw LatencyError(report_ + ": run " + std::to_string(next_run_ + 1) + " is not one the bundle asked");
    return runs_[next_run_++];
  }
  agent::MeasureReply measure(const agent::MeasureRequest& request) override {
    if (next_measure_ >= measures_.size() || !same_request(request, asked_.measures[next_measure_]))
      throw LatencyError(report_ + ": measurement " + std::to_string(next_measure_ + 1) +
                         " is not one the bundle asked");
    return measures_[next_measure_++];
  }
  // Every answer was used: the report answered exactly what was asked.
  void finish() const {
    if (next_run_ != runs_.size() || next_measure_ != measures_.size())
      throw LatencyError(report_ + ": answers " + std::to_string(runs_.size()) + " run(s) and " +
                         std::to_string(measures_.size()) + " measurement(s); the acceptance asked " +
                         std::to_string(next_run_) + " and " + std::to_string(next_measure_));
  }

 private:
  std::string report_;
  agent::Device device_;
  Requests asked_;
  std::vector<agent::RunReply> runs_;
  std::vector<agent::MeasureReply> measures_;
  size_t next_run_ = 0, next_measure_ = 0;
};

// The bundle in memory: manifest.json and the files it names.
struct AcceptanceBundle {
  std::string id;
  ordered_json manifest;
  std::map<std::string, std::vector<uint8_t>> files;
};

AcceptanceBundle make_bundle(const std::string& target, const Requests& asked,
                             const std::vector<std::pair<std::vector<uint8_t>, std::string>>& named_models) {
  AcceptanceBundle b;
  std::map<std::vector<uint8_t>, std::string> file_of;
  ordered_json models = ordered_json::array();
  auto add_model = [&](const std::vector<uint8_t>& bytes, std::string file) -> std::string {
    if (auto it = file_of.find(bytes); it != file_of.end()) return it->second;
    if (file.empty()) file = "model-" + std::to_string(file_of.size() + 1) + ".bspk";
    const std::string hash = latency::sha256_hex(bytes);
    models.push_back({{"file", file}, {"bytes", bytes.size()}, {"sha256", hash}});
    b.files[file] = bytes;
    return file_of[bytes] = file;
  };
  for (const auto& [bytes, file] : named_models) add_model(bytes, file);

  ordered_json runs = ordered_json::array();
  for (size_t i = 0; i < asked.runs.size(); ++i) {
    const agent::RunRequest& r = asked.runs[i];
    ordered_json inputs = ordered_json::array();
    for (size_t k = 0; k < r.inputs.size(); ++k) {
      char file[64];
      std::snprintf(file, sizeof file, "run-%02zu-input-%zu.npy", i + 1, k);
      const std::vector<uint8_t> npy = tools::serialize_npy({r.inputs[k].name, r.inputs[k].dims, r.inputs[k].data});
      inputs.push_back(
          {{"name", r.inputs[k].name}, {"file", file}, {"bytes", npy.size()}, {"sha256", latency::sha256_hex(npy)}});
      b.files[file] = npy;
    }
    runs.push_back({{"model", add_model(r.model, "")},
                    {"backend", r.settings.backend},
                    {"threads", r.settings.threads},
                    {"inputs", inputs}});
  }
  ordered_json measures = ordered_json::array();
  for (const agent::MeasureRequest& m : asked.measures) {
    ordered_json files = ordered_json::array();
    for (const std::vector<uint8_t>& bytes : m.models) files.push_back(add_model(bytes, ""));
    measures.push_back({{"models", files},
                        {"backend", m.settings.backend},
                        {"threads", m.settings.threads},
                        {"warmup", m.warmup},
                        {"runs", m.runs},
                        {"rounds", m.rounds},
                        {"seed", m.seed},
                        {"profile_blocks", m.profile_blocks}});
  }
  const ordered_json body = {{"target", target}, {"models", models}, {"runs", runs}, {"measures", measures}};
  b.id = latency::sha256_hex(std::string(kAcceptanceManifestFormat) + " 1\n" + body.dump());
  b.manifest = {{"format", kAcceptanceManifestFormat}, {"version", 1}, {"id", b.id}};
  for (const auto& [key, value] : body.items()) b.manifest[key] = value;
  return b;
}

void write_bundle(const AcceptanceBundle& b, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw LatencyError(dir.string() + ": cannot create the folder: " + ec.message());
  for (const auto& [file, bytes] : b.files) house::write_file_atomically((dir / file).string(), bytes);
  const std::string text = b.manifest.dump(2) + "\n";
  house::write_file_atomically((dir / "manifest.json").string(), std::vector<uint8_t>(text.begin(), text.end()));
}

agent::Tensor output_from_json(const json& o, const std::string& where) {
  agent::Tensor t;
  t.name = report_field<std::string>(o, "name", where);
  t.dims = report_field<std::vector<int64_t>>(o, "dims", where);
  t.data = report_field<std::vector<float>>(o, "data", where);
  if (tools::tensor_digest(t.dims, t.data) != report_field<std::string>(o, "digest", where))
    throw LatencyError(where + ": the values do not match their \"digest\" (edited, or torn in a copy)");
  return t;
}

// The replaying link for `asked`, from the device's report; throws
// LatencyError naming the report and field for anything but an exact answer
// of bundle `b`.
ReplayLink read_report(const std::string& path, const AcceptanceBundle& b, const Requests& asked) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LatencyError(path + ": cannot open");
  json report;
  try {
    report = json::parse(in);
  } catch (const json::exception& e) {
    throw LatencyError(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  if (report_field<std::string>(report, "format", path) != kAcceptanceReportFormat)
    throw LatencyError(path + ": not an acceptance report (format is not \"" + kAcceptanceReportFormat + "\")");
  if (report_field<int>(report, "version", path) != 1) throw LatencyError(path + ": version is not 1");
  const std::string id = report_field<std::string>(report, "manifest_id", path);
  if (id != b.id)
    throw LatencyError(path + ": answers manifest " + id.substr(0, 16) + "..., not this student's acceptance bundle (" +
                       b.id.substr(0, 16) +
                       "...): another manifest, or the student, teacher or settings changed since it was written");
  const agent::Device device = latency::device_from_json(report_field<json>(report, "device", path), path + ": device");

  const json runs = report_field<json>(report, "runs", path);
  if (!runs.is_array() || runs.size() != asked.runs.size())
    throw LatencyError(path + ": \"runs\" has " + std::to_string(runs.is_array() ? runs.size() : 0) +
                       " entries, the manifest asks " + std::to_string(asked.runs.size()));
  std::vector<agent::RunReply> run_replies;
  for (size_t i = 0; i < runs.size(); ++i) {
    const std::string where = path + ": runs[" + std::to_string(i) + "]";
    agent::RunReply reply;
    const json outputs = report_field<json>(runs[i], "outputs", where);
    if (!outputs.is_array() || outputs.empty()) throw LatencyError(where + ": \"outputs\" is not a non-empty array");
    for (size_t k = 0; k < outputs.size(); ++k)
      reply.outputs.push_back(output_from_json(outputs[k], where + ".outputs[" + std::to_string(k) + "]"));
    run_replies.push_back(std::move(reply));
  }

  const json measures = report_field<json>(report, "measures", path);
  if (!measures.is_array() || measures.size() != asked.measures.size())
    throw LatencyError(path + ": \"measures\" has " + std::to_string(measures.is_array() ? measures.size() : 0) +
                       " entries, the manifest asks " + std::to_string(asked.measures.size()));
  std::vector<agent::MeasureReply> measure_replies;
  for (size_t i = 0; i < measures.size(); ++i) {
    const std::string where = path + ": measures[" + std::to_string(i) + "]";
    const agent::MeasureRequest& request = asked.measures[i];
    const json models = report_field<json>(measures[i], "models", where);
    if (!models.is_array() || models.size() != request.models.size())
      throw LatencyError(where + ": \"models\" does not list the manifest's " + std::to_string(request.models.size()) +
                         " models");
    agent::MeasureReply reply;
    for (size_t k = 0; k < models.size(); ++k) {
      const std::string at = where + ".models[" + std::to_string(k) + "]";
      if (report_field<std::string>(models[k], "sha256", at) != latency::sha256_hex(request.models[k]))
        throw LatencyError(at + ": is not the manifest's model (SHA-256 differs)");
      reply.models.push_back(latency::measurement_from_json(models[k], at));
      if (reply.models.back().rounds.size() != static_cast<size_t>(request.rounds))
        throw LatencyError(at + ": " + std::to_string(reply.models.back().rounds.size()) +
                           " rounds, the manifest asks " + std::to_string(request.rounds));
    }
    measure_replies.push_back(std::move(reply));
  }
  return ReplayLink(path, device, asked, std::move(run_replies), std::move(measure_replies));
}

}  // namespace

std::string describe(const agent::Device& d) {
  return d.cpu + ", " + std::to_string(d.cores) + " cores, " + d.isa + ", runtime " + std::to_string(d.runtime_version);
}

OfflineAcceptance accept_offline(const std::string& dir, const std::vector<uint8_t>& bspk, const ir::Graph& student,
                                 const std::vector<uint8_t>& teacher_bspk, const house::TeacherData& data,
                                 const config::TargetConfig& target, double budget_ms,
                                 const config::ProfileConfig& profile, double tolerance) {
  OfflineAcceptance result;
  result.manifest_path = (fs::path(dir) / "manifest.json").string();
  result.report_path = (fs::path(dir) / "report.json").string();

  const ir::Value& output = student.values.at(static_cast<size_t>(student.outputs.at(0)));
  const int64_t output_elements = output.shape ? ir::shape_elements(*output.shape) : 0;
  if (output_elements <= 0) throw LatencyError("target " + target.name + ": the student's output shape is unknown");
  RecordingLink recorder(static_cast<size_t>(output_elements));
  accept_on_device(recorder, bspk, student, teacher_bspk, data, target, budget_ms, profile, tolerance);
  const AcceptanceBundle bundle =
      make_bundle(target.name, recorder.requests, {{bspk, "student.bspk"}, {teacher_bspk, "teacher.bspk"}});

  if (!fs::exists(result.report_path)) {
    write_bundle(bundle, dir);
    return result;
  }
  ReplayLink replay = read_report(result.report_path, bundle, recorder.requests);
  result.acceptance =
      accept_on_device(replay, bspk, student, teacher_bspk, data, target, budget_ms, profile, tolerance);
  replay.finish();
  result.device = replay.device();
  result.pending = false;
  return result;
}

}  // namespace bespoke::pipeline
