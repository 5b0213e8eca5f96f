// The one exception type of the model house: a store that cannot be opened or
// does not hold what it should (not a house, corrupt, from a newer program),
// a file that cannot be written, shards that do not belong together.
// Messages are one line and name the file or key at fault.
#pragma once

#include <stdexcept>

namespace bespoke::house {

class HouseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::house
