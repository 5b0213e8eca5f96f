#include "pipeline/device_acceptance.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "house/teacher_data.h"
#include "latency/sha256.h"
#include "latency/statistics.h"
#include "torch_bridge/graph_module.h"
#include "train/batch_tensors.h"

namespace bespoke::pipeline {

namespace {

using latency::median;

std::string fixed(double v, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, v);
  return text;
}

}  // namespace

std::string Acceptance::verdict() const {
  if (accepted()) return "accepted";
  std::string why;
  auto add = [&why](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (!numerics_ok) add("outputs differ from LibTorch by " + fixed(max_abs_error, 6));
  if (!latency_ok) add("median " + fixed(median_ms, 4) + " ms is over the budget of " + fixed(budget_ms, 4) + " ms");
  if (!memory_ok) add("arena + weights " + std::to_string(arena_bytes + weights_bytes) + " B over the memory budget");
  return "rejected: " + why;
}

Acceptance accept_on_device(latency::DeviceLink& link, const std::vector<uint8_t>& bspk, const ir::Graph& student,
                            const std::vector<uint8_t>& teacher_bspk, const house::TeacherData& data,
                            const config::TargetConfig& target, double budget_ms, const config::ProfileConfig& profile,
                            double tolerance, int inputs) {
  Acceptance a;
  a.sha256 = latency::sha256_hex(bspk);
  const agent::Settings settings{target.backend, target.threads};

  // Numerics: the first `inputs` validation images, through LibTorch and the device.
  data::BatchLoader loader = house::make_loader(data, data::Split::kValidation, inputs, inputs);
  const data::Batch* batch = loader.next();
  const train::BatchTensors images = train::batch_tensors(*batch, loader.preprocessor().target());
  torchbridge::GraphModule module(student);
  module.eval();
  at::Tensor expected;
  {
    at::NoGradGuard no_grad;
    expected = module.forward({images.images}).at(0).contiguous();
  }
  const ir::Value& input = student.values.at(static_cast<size_t>(student.inputs.at(0)));
  for (int64_t i = 0; i < batch->size; ++i) {
    agent::RunRequest run;
    run.model = bspk;
    run.settings = settings;
    agent::Tensor x;
    x.name = input.name;
    x.dims = images.images[i].unsqueeze(0).sizes().vec();
    const at::Tensor one = images.images[i].contiguous();
    x.data.assign(one.data_ptr<float>(), one.data_ptr<float>() + one.numel());
    run.inputs.push_back(std::move(x));
    const agent::RunReply reply = link.run(run);
    const at::Tensor want = expected[i].flatten();
    const float* w = want.data_ptr<float>();
    const std::vector<float>& got = reply.outputs.at(0).data;
    if (static_cast<int64_t>(got.size()) != want.numel()) {
      a.max_abs_error = INFINITY;
      break;
    }
    for (size_t k = 0; k < got.size(); ++k) {
      a.max_abs_error = std::max(a.max_abs_error, static_cast<double>(std::fabs(got[k] - w[k])));
      a.max_abs_output = std::max(a.max_abs_output, static_cast<double>(std::fabs(w[k])));
    }
    ++a.inputs;
  }
  a.numerics_ok = a.inputs == batch->size && a.max_abs_error <= tolerance * std::max(1.0, a.max_abs_output);

  // Latency and memory: end to end, no profiling, interleaved rounds with the teacher.
  agent::MeasureRequest m;
  m.models = {bspk};
  if (!teacher_bspk.empty()) m.models.push_back(teacher_bspk);
  m.settings = settings;
  m.warmup = static_cast<int>(profile.warmup);
  m.runs = static_cast<int>(profile.runs);
  m.rounds = static_cast<int>(profile.rounds);
  m.profile_blocks = false;
  m.seed = static_cast<uint32_t>(profile.seed);
  const agent::MeasureReply reply = link.measure(m);
  const agent::ModelMeasurement& r = reply.models.at(0);
  std::vector<double> medians, p90s;
  for (const agent::Round& round : r.rounds) {
    medians.push_back(round.median_ms);
    p90s.push_back(round.p90_ms);
  }
  a.median_ms = median(medians);
  a.p90_ms = median(p90s);
  a.arena_bytes = r.arena_bytes;
  a.weights_bytes = r.weights_bytes;
  for (const agent::BackendUse& b : r.backends)
    a.backends += (a.backends.empty() ? "" : ", ") + b.backend + " " + std::to_string(b.operators);
  a.budget_ms = budget_ms;
  if (!teacher_bspk.empty()) {
    std::vector<double> teacher;
    for (const agent::Round& round : reply.models.at(1).rounds) teacher.push_back(round.median_ms);
    a.teacher_ms = median(teacher);
    // Held to the tighter of the two: the report's budget (the ratio of the
    // profiled teacher) and the ratio of the teacher in these same rounds.
    if (target.budget_ratio > 0) a.budget_ms = std::min(budget_ms, target.budget_ratio * a.teacher_ms);
  }
  a.latency_ok = a.median_ms <= a.budget_ms;
  a.memory_ok = target.memory_budget_bytes <= 0 ||
                a.arena_bytes + a.weights_bytes <= static_cast<uint64_t>(target.memory_budget_bytes);
  return a;
}

double settle_device(latency::DeviceLink& link, const std::vector<uint8_t>& teacher_bspk,
                     const config::TargetConfig& target, double profiled_teacher_ms, double max_seconds) {
  agent::MeasureRequest m;
  m.models = {teacher_bspk};
  m.settings = agent::Settings{target.backend, target.threads};
  m.warmup = 5;
  m.runs = 50;
  m.rounds = 1;
  m.profile_blocks = false;
  const auto start = std::chrono::steady_clock::now();
  double seen = 0.0;
  for (;;) {
    seen = link.measure(m).models.at(0).rounds.at(0).median_ms;
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seen <= 1.03 * profiled_teacher_ms || waited >= max_seconds) return seen;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace bespoke::pipeline
