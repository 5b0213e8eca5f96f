// Shared by the blocks tests.
#pragma once

#include <exception>
#include <functional>
#include <string>

namespace bespoke::test {

// The message of what f throws, or "" when it does not throw.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace bespoke::test
