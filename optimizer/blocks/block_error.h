// The one exception type of block analysis and surgery: a graph that cannot
// be cut into single-input single-output sub-networks, a span out of range,
// replacements that overlap or do not fit. Messages are one line naming the
// graph, span, value or shapes at fault.
#pragma once

#include <stdexcept>

namespace bespoke::blocks {

class BlockError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::blocks
