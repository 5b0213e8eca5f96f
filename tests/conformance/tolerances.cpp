#include "tolerances.h"

#include <vector>

namespace bespoke::test::conformance {
namespace {

struct Exception {
  const char* prefix;  // test name prefix
  test::e2e::Tolerance tolerance;
  const char* why;  // kept next to the numbers on purpose
};

const std::vector<Exception>& exceptions() {
  static const std::vector<Exception> table = {};
  return table;
}

}  // namespace

test::e2e::Tolerance tolerance_for(const std::string& test_name) {
  for (const auto& e : exceptions())
    if (test_name.rfind(e.prefix, 0) == 0) return e.tolerance;
  return test::e2e::Tolerance{};
}

}  // namespace bespoke::test::conformance
