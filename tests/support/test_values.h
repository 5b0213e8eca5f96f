// Test data shared by the backend tests: the element count of a shape and
// seeded uniform random values (the same values for the same seed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace bespoke::test {

inline size_t element_count(const std::vector<int32_t>& shape) {
  size_t count = 1;
  for (int32_t d : shape) count *= static_cast<size_t>(d);
  return count;
}

// Uniform values in [low, high), reproducible from `seed`.
inline std::vector<float> random_values(size_t count, uint32_t seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> dist(low, high);
  std::vector<float> values(count);
  for (float& v : values) v = dist(engine);
  return values;
}

}  // namespace bespoke::test
