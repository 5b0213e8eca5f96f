// The ONNX backend conformance suites (label "conformance"): every test of
// libonnx-testdata's node/, pytorch-converted/, pytorch-operator/ and
// simple/ folders through import -> .bspk -> C API on every backend.
// One doctest case per suite (node in shards) so CTest can run them in
// parallel; see CMakeLists.txt.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "conformance_suite.h"
#include "harness/bespoke_runner.h"

namespace {

std::string test_data_root() {
  const char* env = std::getenv("BESPOKE_ONNX_TESTDATA");
  return env ? env : "/usr/share/libonnx-testdata/data";
}

void check_suite(const std::string& folder, int shard, int shards) {
  const std::string dir = test_data_root() + "/" + folder;
  if (!std::filesystem::is_directory(dir)) {
    MESSAGE("skipped: " << dir << " does not exist (install libonnx-testdata)");
    return;
  }
  const std::string label = shards > 1 ? folder + "." + std::to_string(shard) + "of" + std::to_string(shards) : folder;
  const auto run = bespoke::conformance::run_suite(dir, label, shard, shards,
                                                   std::string(BESPOKE_BINARY_DIR) + "/conformance");
  std::cout << run.table;
  for (const auto& f : run.failures) std::cout << "  FAILED " << f << "\n";
  std::cout.flush();
  CHECK(!run.results.empty());
  CHECK_MESSAGE(run.failures.empty(), run.failures.size() << " supported test/backend pairs failed in " << label);
}

}  // namespace

TEST_CASE("conformance.node.0of3") { check_suite("node", 0, 3); }
TEST_CASE("conformance.node.1of3") { check_suite("node", 1, 3); }
TEST_CASE("conformance.node.2of3") { check_suite("node", 2, 3); }
TEST_CASE("conformance.pytorch-converted") { check_suite("pytorch-converted", 0, 1); }
TEST_CASE("conformance.pytorch-operator") { check_suite("pytorch-operator", 0, 1); }
TEST_CASE("conformance.simple") { check_suite("simple", 0, 1); }

TEST_CASE("harness.backends") {
  // The backends the suites iterate over are exactly what the library reports.
  const auto backends = bespoke::e2e::available_backends();
  REQUIRE(!backends.empty());
  CHECK(backends.front().name == "reference");
}
