#include "agent/measurement.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "bespoke/bespoke.hpp"
#include "common/cpu_description.h"
#include "common/statistics.h"
#include "common/tool_support.h"

namespace bespoke::agent {
namespace {

using Clock = std::chrono::steady_clock;
namespace bt = bespoke::tools;

SessionOptions session_options(const Settings& settings, bool profiling) {
  return SessionOptions().backend(bt::parse_backend(settings.backend)).threads(settings.threads).profiling(profiling);
}

std::vector<BackendUse> backends_of(const Session& session) {
  std::vector<BackendUse> list;
  for (const BackendUsage& usage : session.backend_usage()) {
    list.push_back(BackendUse{usage.backend, static_cast<uint32_t>(usage.operators)});
  }
  return list;
}

// The per-run times of every entry of one profile level (blocks or
// operators), summarised into one median per entry and round.
struct ProfileSeries {
  explicit ProfileSeries(bsp_profile_level profile_level) : level(profile_level) {}
  bsp_profile_level level;
  std::vector<ProfileTime>* entries = nullptr;  // nullptr: this level is not reported
  std::vector<std::vector<double>> ms;          // per entry, per run of this round

  void start_round(const Session& session) {
    if (entries == nullptr) return;
    if (entries->empty()) {
      for (const ProfileEntry& e : session.profile(level)) entries->push_back({e.id, e.name, e.kind, e.backend, {}});
    }
    ms.assign(entries->size(), {});
  }
  void add_run(const Session& session) {
    if (entries == nullptr) return;
    const std::vector<ProfileEntry> latest = session.profile(level);
    for (size_t e = 0; e < latest.size() && e < ms.size(); ++e) {
      ms[e].push_back(static_cast<double>(latest[e].last_ns) * 1e-6);
    }
  }
  void end_round() {
    for (size_t e = 0; e < ms.size(); ++e) (*entries)[e].median_ms.push_back(bt::median(ms[e]));
  }
};

bool profiling(const MeasureRequest& request) { return request.profile_blocks || request.profile_operators; }

// One model under measurement: its session and the results so far.
struct Subject {
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  Model model;
  Session session;
  ModelMeasurement result;
  ProfileSeries blocks{BSP_PROFILE_BLOCKS};
  ProfileSeries operators{BSP_PROFILE_OPERATORS};

  Subject(const std::vector<uint8_t>& bytes, const MeasureRequest& request)
      : model(Model::load_memory(bytes.data(), bytes.size(), true)),
        session(model, session_options(request.settings, profiling(request))) {
    for (size_t i = 0; i < model.input_count(); ++i) {
      session.set_input(i, bt::random_input(model.input(i), request.seed + static_cast<uint32_t>(i)).data);
    }
    if (request.profile_blocks) blocks.entries = &result.blocks;
    if (request.profile_operators) operators.entries = &result.operators;
  }

  void timed_round(int runs) {
    session.reset_profile();
    blocks.start_round(session);
    operators.start_round(session);
    std::vector<double> run_ms;
    for (int r = 0; r < runs; ++r) {
      const auto start = Clock::now();
      session.run();
      run_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      blocks.add_run(session);
      operators.add_run(session);
    }
    blocks.end_round();
    operators.end_round();
    Round round;
    round.median_ms = bt::median(run_ms);
    round.min_ms = *std::min_element(run_ms.begin(), run_ms.end());
    round.p90_ms = bt::percentile(run_ms, 90);
    result.rounds.push_back(round);
  }
};

}  // namespace

MeasureReply measure(const MeasureRequest& request) {
  std::vector<std::unique_ptr<Subject>> subjects;  // not moved: each points into its own result
  for (const auto& bytes : request.models) subjects.push_back(std::make_unique<Subject>(bytes, request));
  for (auto& s : subjects) {
    for (int i = 0; i < request.warmup; ++i) s->session.run();
  }
  for (int round = 0; round < request.rounds; ++round) {
    for (auto& s : subjects) s->timed_round(request.runs);
  }
  MeasureReply reply;
  for (auto& s : subjects) {
    s->result.arena_bytes = s->session.arena_bytes();
    s->result.weights_bytes = s->session.weights_bytes();
    s->result.backends = backends_of(s->session);
    reply.models.push_back(std::move(s->result));
  }
  return reply;
}

RunReply run_once(const RunRequest& request) {
  const Model model = Model::load_memory(request.model.data(), request.model.size(), true);
  Session session(model, session_options(request.settings, false));
  if (request.inputs.size() != model.input_count()) {
    throw std::invalid_argument("the model has " + std::to_string(model.input_count()) + " inputs, the request " +
                                std::to_string(request.inputs.size()));
  }
  for (size_t i = 0; i < request.inputs.size(); ++i) {
    const TensorInfo info = model.input(i);
    if (info.type != BSP_FLOAT32 || request.inputs[i].dims != info.dims) {
      throw std::invalid_argument("input " + std::to_string(i) + " ('" + info.name +
                                  "') does not match the model's float32 shape");
    }
    session.set_input(i, request.inputs[i].data);
  }
  session.run();
  RunReply reply;
  for (size_t o = 0; o < model.output_count(); ++o) {
    const TensorInfo info = model.output(o);
    if (info.type != BSP_FLOAT32) throw std::invalid_argument("output '" + info.name + "' is not float32");
    reply.outputs.push_back(Tensor{info.name, info.dims, session.output(o)});
  }
  reply.backends = backends_of(session);
  return reply;
}

Device describe_device() {
  const bt::CpuDescription cpu = bt::describe_cpu();
  Device d;
  d.protocol_version = kProtocolVersion;
  d.cpu = cpu.name;
  d.cores = cpu.cores;
  d.isa = cpu.isa;
  d.runtime_version = bsp_runtime_version();
  d.api_version = bsp_api_version();
  d.available_backends = bespoke::available_backends();
  return d;
}

}  // namespace bespoke::agent
