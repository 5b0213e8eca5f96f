#include "pipeline/finetune.h"

#include <ATen/ATen.h>
#include <torch/optim/adam.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <numeric>
#include <optional>

#include "task/task_loss.h"
#include "torch_bridge/graph_module.h"
#include "train/batch_tensors.h"
#include "train/lr_schedule.h"

namespace bespoke::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double mean(const std::deque<double>& values) {
  return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

FinetuneResult finetune_student(const ir::Graph& student, const ir::Graph& teacher_graph,
                                const house::TeacherData& data, const config::FinetuneConfig& s, uint64_t seed,
                                int threads, const std::function<void(const FinetuneProgress&)>& progress) {
  const auto start = Clock::now();
  FinetuneResult out;
  out.student = student;
  if (threads > 0) torchbridge::GraphModule::set_num_threads(threads);

  const data::SplitView& view = data.dataset.split(data::Split::kTrain);
  std::vector<int64_t> indices = view.indices;
  if (s.train_images > 0 && s.train_images < static_cast<int64_t>(indices.size()))
    indices.resize(static_cast<size_t>(s.train_images));
  data::LoaderOptions options;
  options.batch_size = s.batch_size;
  options.shuffle = true;
  options.drop_last = static_cast<int64_t>(indices.size()) > s.batch_size;
  options.seed = seed;
  const data::Preprocessor preprocessor({view.set->channels, view.set->height, view.set->width},
                                        data::Preprocessor::geometry_of_input(data.input_shape), data.normalization);
  data::BatchLoader loader(view.set, indices, preprocessor, options);
  const int64_t per_epoch = loader.batches_per_epoch();
  const auto steps = static_cast<int64_t>(std::llround(s.epochs * static_cast<double>(per_epoch)));
  if (steps <= 0) {
    out.ok = true;
    return out;
  }

  torchbridge::GraphModule teacher(teacher_graph);
  teacher.eval();
  torchbridge::GraphModule module(student);
  std::vector<at::Tensor> params = module.parameters();
  if (params.empty()) {
    out.ok = true;
    return out;
  }
  const task::TaskHead& head = data.head;
  const int teacher_logits_value = task::logits_value(head, teacher.graph());
  const int student_logits_value = task::logits_value(head, module.graph());
  const task::LabelTargets labels(head, *view.set);
  torch::optim::Adam adam(params, torch::optim::AdamOptions(s.lr));
  const train::CosineSchedule cosine(s.lr, 0.0, 0, steps);
  const double T = s.temperature;
  const double w = s.label_weight;
  std::deque<double> recent;
  module.train();
  int64_t epoch = 0;
  loader.start_epoch(epoch);
  for (int64_t step = 0; step < steps; ++step) {
    const data::Batch* batch = loader.next();
    if (batch == nullptr) {
      loader.start_epoch(++epoch);
      batch = loader.next();
    }
    const train::BatchTensors b = train::batch_tensors(*batch, loader.preprocessor().target());
    at::Tensor teacher_logits;
    {
      at::NoGradGuard no_grad;
      teacher_logits = teacher.forward_values({b.images}, {teacher_logits_value}).at(0);
    }
    const double lr = s.schedule == "constant" ? s.lr : cosine.at(step);
    for (auto& group : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    adam.zero_grad();
    const at::Tensor logits = module.forward_values({b.images}, {student_logits_value}).at(0);
    const at::Tensor kd = task::distillation_loss(head, logits, teacher_logits, T);
    const std::vector<int64_t> images(batch->indices.begin(), batch->indices.begin() + batch->size);
    const std::optional<at::Tensor> label_term = labels.loss(logits, images);
    // Without labels the whole weight is on the teacher.
    const at::Tensor loss = label_term ? (1.0 - w) * kd + w * *label_term : kd;
    const double value = loss.item<double>();
    if (!std::isfinite(value)) {
      out.reason = "fine-tuning diverged: loss " + std::to_string(value) + " at step " + std::to_string(step + 1);
      out.steps = step;
      return out;
    }
    loss.backward();
    adam.step();
    out.steps = step + 1;
    recent.push_back(value);
    if (recent.size() > 20) recent.pop_front();
    if (step + 1 == std::min<int64_t>(20, steps)) out.first_loss = mean(recent);
    if (progress && ((step + 1) % 50 == 0 || step + 1 == steps)) {
      progress({step + 1, steps, mean(recent), std::chrono::duration<double>(Clock::now() - start).count()});
    }
  }
  module.eval();
  out.last_loss = mean(recent);
  out.student = module.to_graph();
  out.ok = true;
  out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return out;
}

}  // namespace bespoke::pipeline
