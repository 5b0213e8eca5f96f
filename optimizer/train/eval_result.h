// What evaluating a classifier on a split gives: top-1 accuracy, the mean
// cross-entropy, and optionally every prediction (to compare two engines
// sample by sample). LibTorch-free.
#pragma once

#include <cstdint>
#include <vector>

namespace bespoke::train {

struct EvalResult {
  int64_t samples = 0;
  int64_t correct = 0;
  double loss_sum = 0.0;             // sum of per-sample cross-entropy (natural log)
  std::vector<int32_t> predictions;  // argmax per sample, in loader order (when kept)
  std::vector<int32_t> labels;

  double accuracy() const { return samples ? static_cast<double>(correct) / static_cast<double>(samples) : 0.0; }
  double mean_loss() const { return samples ? loss_sum / static_cast<double>(samples) : 0.0; }
};

// Cross-entropy of one logit row against `label` and its argmax (first of
// equal maxima), in double precision.
double cross_entropy(const float* logits, int64_t classes, int64_t label, int32_t* argmax);

// Fraction of equal predictions of two results over the same samples.
double prediction_agreement(const EvalResult& a, const EvalResult& b);

}  // namespace bespoke::train
