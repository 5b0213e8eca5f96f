// A small deterministic random generator for everything the optimizer draws
// (splits, shuffles, augmentation, weight initialization). Unlike the
// standard distributions, its results are the same with every compiler and
// standard library, so a run is reproducible from its seed anywhere.
#pragma once

#include <cstdint>
#include <vector>

namespace bespoke::random {

// Combines a seed with further keys (epoch, sample index, ...) into a new,
// well-mixed seed: independent streams without storing generator state.
uint64_t derive_seed(uint64_t seed, uint64_t key);
uint64_t derive_seed(uint64_t seed, uint64_t key1, uint64_t key2);

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next();                 // 64 uniform bits (SplitMix64)
  uint64_t below(uint64_t bound);  // uniform in [0, bound), bound > 0, unbiased
  double uniform();                // uniform in [0, 1)
  double normal();                 // standard normal (Box-Muller)

 private:
  uint64_t state_;
  double spare_normal_ = 0.0;
  bool has_spare_ = false;
};

// A uniformly random permutation of 0 .. n-1 (Fisher-Yates).
std::vector<int64_t> random_permutation(int64_t n, uint64_t seed);

}  // namespace bespoke::random
