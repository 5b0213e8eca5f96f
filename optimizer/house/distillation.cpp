#include "house/distillation.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <torch/optim/adam.h>

#include <cmath>
#include <random>

#include "house/output_projection.h"
#include "torch_bridge/graph_module.h"
#include "train/lr_schedule.h"

namespace bespoke::house {

namespace {

constexpr int64_t kEvalBatch = 256;

// Mean squared error of `predict(input batch)` against the target, over all elements.
template <typename Predict>
double mean_squared_error(const FeaturePair& data, Predict&& predict) {
  at::NoGradGuard no_grad;
  double sum = 0.0;
  const int64_t n = data.input.size(0);
  for (int64_t i = 0; i < n; i += kEvalBatch) {
    const int64_t size = std::min(kEvalBatch, n - i);
    const at::Tensor diff = predict(data.input.narrow(0, i, size)) - data.target.narrow(0, i, size);
    sum += diff.to(at::kDouble).pow(2).sum().item<double>();
  }
  return sum / static_cast<double>(data.target.numel());
}

double variance(const at::Tensor& t) {
  const at::Tensor d = t.to(at::kDouble);
  return (d - d.mean()).pow(2).mean().item<double>();
}

double relative(double mse, double var) { return var > 0.0 ? mse / var : (mse == 0.0 ? 0.0 : INFINITY); }

}  // namespace

DistillOutcome distill_alternative(const ir::Graph& alternative, const FeaturePair& train,
                                   const FeaturePair& validation, const DistillSettings& s,
                                   const DistillProgress& progress) {
  DistillOutcome out;
  const double target_variance = variance(validation.target);
  if (alternative.nodes.empty()) {  // the identity
    out.loss_before = out.loss_after = mean_squared_error(validation, [](const at::Tensor& x) { return x; });
    out.rel_mse = relative(out.loss_after, target_variance);
    out.ok = std::isfinite(out.loss_after);
    if (!out.ok) out.reason = "identity error is not finite";
    out.trained = alternative;
    return out;
  }
  torchbridge::GraphModule module(alternative);
  auto predict = [&module](const at::Tensor& x) { return module.forward({x}).at(0); };
  module.eval();
  out.loss_before = mean_squared_error(validation, predict);
  fit_input_projection(module, train.input);
  fit_output_projection(module, train.input, train.target);

  std::vector<at::Tensor> params = module.parameters();
  if (!params.empty() && s.steps > 0) {
    torch::optim::Adam adam(params, torch::optim::AdamOptions(s.lr).weight_decay(s.weight_decay));
    const train::CosineSchedule cosine(s.lr, s.min_lr, s.warmup_steps, s.steps);
    std::mt19937_64 rng(s.seed);
    const int64_t n = train.input.size(0);
    std::uniform_int_distribution<int64_t> pick(0, n - 1);
    std::vector<int64_t> rows(static_cast<size_t>(s.batch_size));
    module.train();
    for (int64_t step = 0; step < s.steps; ++step) {
      const double lr =
          s.schedule == "constant"
              ? (step < s.warmup_steps ? s.lr * static_cast<double>(step + 1) / static_cast<double>(s.warmup_steps)
                                       : s.lr)
              : cosine.at(step);
      for (auto& group : adam.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      for (int64_t& r : rows) r = pick(rng);
      const at::Tensor index = at::from_blob(rows.data(), {s.batch_size}, at::kLong);
      const at::Tensor x = train.input.index_select(0, index);
      const at::Tensor y = train.target.index_select(0, index);
      adam.zero_grad();
      const at::Tensor loss = (module.forward({x}).at(0) - y).pow(2).mean();
      const double value = loss.item<double>();
      if (!std::isfinite(value)) {
        out.reason = "distillation diverged: loss " + std::to_string(value) + " at step " + std::to_string(step + 1);
        out.steps = step;
        return out;
      }
      loss.backward();
      adam.step();
      out.steps = step + 1;
      if (progress && ((step + 1) % 25 == 0 || step + 1 == s.steps)) progress(step + 1, s.steps, value);
    }
    module.eval();
  }
  out.loss_after = mean_squared_error(validation, predict);
  out.rel_mse = relative(out.loss_after, target_variance);
  if (!std::isfinite(out.loss_after)) {
    out.reason = "validation loss after training is not finite";
    return out;
  }
  out.ok = true;
  out.trained = module.to_graph();
  return out;
}

}  // namespace bespoke::house
