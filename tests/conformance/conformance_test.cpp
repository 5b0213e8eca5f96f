// The ONNX backend conformance suites (label "conformance"): every test of
// libonnx-testdata's node/, pytorch-converted/, pytorch-operator/ and
// simple/ folders through import -> .bspk -> C API on every backend.
// One doctest case per suite (node in shards) so CTest can run them in
// parallel; see CMakeLists.txt. Each suite's verdicts, per test and backend
// (`auto` with 1 and 2 threads included), must equal the committed ones in
// verdicts/<label>.tsv (expected_verdicts.h).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "conformance_suite.h"
#include "expected_verdicts.h"
#include "harness/bespoke_runner.h"
#include "support/test_assets.h"

namespace {

std::string test_data_root() {
  const char* env = std::getenv("BESPOKE_ONNX_TESTDATA");
  return env ? env : "/usr/share/libonnx-testdata/data";
}

void check_suite(const std::string& folder, int shard, int shards) {
  const std::string dir = test_data_root() + "/" + folder;
  if (!bespoke::test::require_asset(dir, "install libonnx-testdata (scripts/install-deps)")) return;
  const std::string label = shards > 1 ? folder + "." + std::to_string(shard) + "of" + std::to_string(shards) : folder;
  const auto run = bespoke::test::conformance::run_suite(dir, label, shard, shards,
                                                         std::string(BESPOKE_BINARY_DIR) + "/conformance");
  std::cout << run.table;
  for (const auto& f : run.failures) std::cout << "  FAILED " << f << "\n";
  const std::string verdict_file = std::string(BESPOKE_SOURCE_DIR) + "/tests/conformance/verdicts/" + label + ".tsv";
  const bool whole_suite = std::getenv("BESPOKE_CONFORMANCE_ONLY") == nullptr;
  if (std::getenv("BESPOKE_UPDATE_VERDICTS") && whole_suite) {
    const auto previous = bespoke::test::conformance::read_expected_verdicts(verdict_file);
    bespoke::test::conformance::write_expected_verdicts(verdict_file, label, run.results, run.backends, previous);
    std::cout << "  rewrote " << verdict_file << "\n";
  }
  const auto differences = bespoke::test::conformance::verdict_differences(
      bespoke::test::conformance::read_expected_verdicts(verdict_file), run.results, run.backends, whole_suite);
  for (const auto& d : differences) std::cout << "  DIFFERS " << d << "\n";
  std::cout.flush();
  CHECK(!run.results.empty());
  CHECK_MESSAGE(differences.empty(), differences.size()
                                         << " verdicts of " << label << " differ from " << verdict_file
                                         << " (BESPOKE_UPDATE_VERDICTS=1 rewrites it; say why in the commit)");
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
  const auto backends = bespoke::test::e2e::available_backends();
  REQUIRE(!backends.empty());
  CHECK(backends.front().name == "reference");
  const auto under_test = bespoke::test::e2e::backends_under_test();
  REQUIRE(under_test.size() == backends.size() + 2);
  CHECK(under_test[backends.size()].name == "auto");
  CHECK(under_test[backends.size() + 1].threads == 2);
}
