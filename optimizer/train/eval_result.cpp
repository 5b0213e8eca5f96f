#include "train/eval_result.h"

#include <cmath>
#include <stdexcept>

namespace bespoke::train {

double cross_entropy(const float* logits, int64_t classes, int64_t label, int32_t* argmax) {
  int64_t best = 0;
  for (int64_t k = 1; k < classes; ++k)
    if (logits[k] > logits[best]) best = k;
  double sum = 0.0;
  for (int64_t k = 0; k < classes; ++k) sum += std::exp(static_cast<double>(logits[k]) - logits[best]);
  if (argmax != nullptr) *argmax = static_cast<int32_t>(best);
  return std::log(sum) - (static_cast<double>(logits[label]) - logits[best]);
}

double prediction_agreement(const EvalResult& a, const EvalResult& b) {
  if (a.predictions.size() != b.predictions.size() || a.predictions.empty()) {
    throw std::invalid_argument("prediction agreement: the results cover different samples or kept no predictions");
  }
  size_t same = 0;
  for (size_t i = 0; i < a.predictions.size(); ++i) same += a.predictions[i] == b.predictions[i];
  return static_cast<double>(same) / static_cast<double>(a.predictions.size());
}

}  // namespace bespoke::train
