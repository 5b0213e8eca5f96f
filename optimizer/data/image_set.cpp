#include "data/image_set.h"

#include <numeric>

namespace bespoke::data {

std::string ImageSet::origin(int64_t i) const {
  if (i >= 0 && i < static_cast<int64_t>(origins.size())) return origins[static_cast<size_t>(i)];
  return source + " image " + std::to_string(i);
}

std::vector<int64_t> all_indices(int64_t n) {
  std::vector<int64_t> indices(static_cast<size_t>(n));
  std::iota(indices.begin(), indices.end(), int64_t{0});
  return indices;
}

}  // namespace bespoke::data
