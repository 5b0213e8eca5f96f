// Seeded train / validation split of one image set, by index. The same
// (size, validation_count, seed) always gives the same split, on any platform.
#pragma once

#include <cstdint>
#include <vector>

namespace bespoke::data {

struct TrainValidationSplit {
  std::vector<int64_t> train;       // sorted
  std::vector<int64_t> validation;  // sorted, disjoint from train
};

// Draws `validation_count` of the `size` indices uniformly at random for
// validation; the rest are for training. Throws DataError if
// validation_count is negative or not below size.
TrainValidationSplit split_train_validation(int64_t size, int64_t validation_count, uint64_t seed);

}  // namespace bespoke::data
