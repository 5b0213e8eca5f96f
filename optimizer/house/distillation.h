// Block-level knowledge distillation (ARCHITECTURE.md section 1, step 2): an
// alternative learns to map the teacher's feature at cut a to the teacher's
// feature at cut b. MSE loss, Adam, a warmup + cosine (or constant) learning
// rate, mini-batches drawn with replacement from the training features by a
// generator seeded per alternative; labels are never used.
//
// An output adapter (output_projection.h) first gets its least-squares fit.
//
// Reported, on the validation features (in batches, eval mode):
//  * loss_before / loss_after: MSE before and after training;
//  * rel_mse: loss_after / variance of the target feature (all elements), a
//    scale-free error: 0 is perfect, 1 is no better than predicting the mean.
// A non-finite training loss stops training and fails the alternative with
// the step and value; it never throws. An alternative without parameters
// (the identity, or one with no trainable weight) is evaluated, not trained.
// With the same inputs, settings and LibTorch thread count, the result is
// bit for bit the same.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>

#include "ir/graph.h"

namespace bespoke::house {

struct DistillSettings {
  int64_t steps = 300;
  int64_t batch_size = 64;
  double lr = 1e-3;
  double min_lr = 0.0;
  std::string schedule = "cosine";  // "cosine" (after warmup) or "constant"
  int64_t warmup_steps = 0;
  double weight_decay = 0.0;
  uint64_t seed = 0;  // batch sampling
};

struct FeaturePair {
  at::Tensor input;   // [N, ...] teacher feature at the span's first cut
  at::Tensor target;  // [N, ...] teacher feature at its last cut
};

struct DistillOutcome {
  bool ok = false;
  std::string reason;  // why not ok
  double loss_before = 0.0, loss_after = 0.0, rel_mse = 0.0;
  int64_t steps = 0;  // optimizer steps taken
  ir::Graph trained;  // the alternative with its trained weights (when ok)
};

// Called every few steps with (step, steps, current training loss).
using DistillProgress = std::function<void(int64_t, int64_t, double)>;

DistillOutcome distill_alternative(const ir::Graph& alternative, const FeaturePair& train,
                                   const FeaturePair& validation, const DistillSettings& settings,
                                   const DistillProgress& progress = {});

}  // namespace bespoke::house
