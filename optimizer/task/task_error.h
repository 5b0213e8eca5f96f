// The one exception type of the task head: a key file that cannot be read or
// does not hold a character set, text that is not UTF-8, model outputs or
// maps of the wrong size or with non-finite values, polygons that cannot be
// measured. Messages name the file and line, or the argument, at fault.
#pragma once

#include <stdexcept>

namespace bespoke::task {

class TaskError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::task
