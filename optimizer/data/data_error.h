// The one exception type of the data layer: a file that cannot be read or
// does not hold what it should, a dataset name nobody knows, a preprocessing
// request that cannot be met. Messages name the file or setting at fault.
#pragma once

#include <stdexcept>

namespace bespoke::data {

class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::data
