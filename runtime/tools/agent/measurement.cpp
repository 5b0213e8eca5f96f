#include "agent/measurement.h"

#include <algorithm>
#include <chrono>
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

// One model under measurement: its session and every timed run of the
// current round (end to end, and per block when profiled).
struct Subject {
  Model model;
  Session session;
  std::vector<double> run_ms;
  std::vector<std::vector<double>> block_ms;  // per block, per run
  ModelMeasurement result;

  Subject(const std::vector<uint8_t>& bytes, const MeasureRequest& request)
      : model(Model::load_memory(bytes.data(), bytes.size(), true)),
        session(model, session_options(request.settings, request.profile_blocks)) {
    for (size_t i = 0; i < model.input_count(); ++i) {
      session.set_input(i, bt::random_input(model.input(i), request.seed + static_cast<uint32_t>(i)).data);
    }
  }

  void timed_round(int runs, bool profile) {
    run_ms.clear();
    if (profile) {
      session.reset_profile();
      if (result.blocks.empty()) {
        for (const ProfileEntry& entry : session.profile(BSP_PROFILE_BLOCKS)) {
          result.blocks.push_back(BlockTime{entry.id, entry.name, entry.backend, {}});
        }
      }
      block_ms.assign(result.blocks.size(), {});
    }
    for (int r = 0; r < runs; ++r) {
      const auto start = Clock::now();
      session.run();
      run_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!profile) continue;
      const std::vector<ProfileEntry> latest = session.profile(BSP_PROFILE_BLOCKS);
      for (size_t b = 0; b < latest.size() && b < block_ms.size(); ++b) {
        block_ms[b].push_back(static_cast<double>(latest[b].last_ns) * 1e-6);
      }
    }
    Round round;
    round.median_ms = bt::median(run_ms);
    round.min_ms = *std::min_element(run_ms.begin(), run_ms.end());
    round.p90_ms = bt::percentile(run_ms, 90);
    result.rounds.push_back(round);
    for (size_t b = 0; b < block_ms.size(); ++b) result.blocks[b].median_ms.push_back(bt::median(block_ms[b]));
  }
};

}  // namespace

MeasureReply measure(const MeasureRequest& request) {
  std::vector<Subject> subjects;
  subjects.reserve(request.models.size());
  for (const auto& bytes : request.models) subjects.emplace_back(bytes, request);
  for (Subject& s : subjects) {
    for (int i = 0; i < request.warmup; ++i) s.session.run();
  }
  for (int round = 0; round < request.rounds; ++round) {
    for (Subject& s : subjects) s.timed_round(request.runs, request.profile_blocks);
  }
  MeasureReply reply;
  for (Subject& s : subjects) {
    s.result.arena_bytes = s.session.arena_bytes();
    s.result.weights_bytes = s.session.weights_bytes();
    s.result.backends = backends_of(s.session);
    reply.models.push_back(std::move(s.result));
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
