// Summaries of timed runs shared by bespoke-bench and bespoke-agent, so that
// both report the same median and percentile of the same runs.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace bespoke::tools {

// Nearest-rank percentile of `values` (sorted in place), p in (0, 100]; 0 if empty.
inline double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

// Median (mean of the two middle values for an even count); 0 if empty.
inline double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace bespoke::tools
