// The few statistics latency/ needs, on copies (inputs are left as they are).
#pragma once

#include <algorithm>
#include <vector>

namespace bespoke::latency {

// The median (the mean of the two middle values for an even count); 0 for none.
inline double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace bespoke::latency
