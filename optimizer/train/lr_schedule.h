// Learning rate per optimizer step: a linear warmup from peak / warmup_steps
// to the peak, then a cosine decay from the peak to `min_lr` at the last step.
#pragma once

#include <cstdint>

namespace bespoke::train {

class CosineSchedule {
 public:
  CosineSchedule(double peak_lr, double min_lr, int64_t warmup_steps, int64_t total_steps);
  double at(int64_t step) const;  // step 0 .. total_steps - 1

 private:
  double peak_, min_;
  int64_t warmup_, total_;
};

}  // namespace bespoke::train
