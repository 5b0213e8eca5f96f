#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace bespoke::train {

CosineSchedule::CosineSchedule(double peak_lr, double min_lr, int64_t warmup_steps, int64_t total_steps)
    : peak_(peak_lr),
      min_(min_lr),
      warmup_(std::max<int64_t>(0, warmup_steps)),
      total_(std::max<int64_t>(1, total_steps)) {
  warmup_ = std::min(warmup_, total_);
}

double CosineSchedule::at(int64_t step) const {
  step = std::clamp<int64_t>(step, 0, total_ - 1);
  if (step < warmup_) return peak_ * static_cast<double>(step + 1) / static_cast<double>(warmup_);
  const int64_t decay_steps = total_ - warmup_;
  if (decay_steps <= 1) return peak_;
  const double progress = static_cast<double>(step - warmup_) / static_cast<double>(decay_steps - 1);
  return min_ + 0.5 * (peak_ - min_) * (1.0 + std::cos(3.14159265358979323846 * progress));
}

}  // namespace bespoke::train
