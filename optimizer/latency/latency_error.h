// The one error type of latency/: a one-line message naming the target, file
// or key concerned.
#pragma once

#include <stdexcept>

namespace bespoke::latency {

class LatencyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::latency
