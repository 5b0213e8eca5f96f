// The reference backend that the other backends' tests compare against:
// one instance per test binary, created on first use.
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "backends/backend.h"

namespace bespoke::test {

inline rt::Backend& reference_backend() {
  static std::unique_ptr<rt::Backend> backend = rt::make_reference_backend();
  REQUIRE(backend != nullptr);
  return *backend;
}

}  // namespace bespoke::test
