#include "data/split.h"

#include <algorithm>
#include <string>

#include "data/data_error.h"
#include "random/seeded_random.h"

namespace bespoke::data {

TrainValidationSplit split_train_validation(int64_t size, int64_t validation_count, uint64_t seed) {
  if (validation_count < 0 || validation_count >= size) {
    throw DataError("validation split of " + std::to_string(validation_count) + " images out of " +
                    std::to_string(size) + ": must be at least 0 and leave training images");
  }
  const std::vector<int64_t> order = random::random_permutation(size, random::derive_seed(seed, 0x5b117));
  TrainValidationSplit split;
  split.validation.assign(order.begin(), order.begin() + validation_count);
  split.train.assign(order.begin() + validation_count, order.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

}  // namespace bespoke::data
