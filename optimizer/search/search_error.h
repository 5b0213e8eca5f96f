// The one error type of search/: a one-line message naming the target, file
// or key concerned.
#pragma once

#include <stdexcept>

namespace bespoke::search {

class SearchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::search
