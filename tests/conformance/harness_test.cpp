// Unit tests of the end-to-end harness itself (comparison rule, .npy I/O,
// process isolation), so that a suite result can be trusted.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <filesystem>

#include "harness/compare.h"
#include "harness/isolated_call.h"
#include "harness/npy.h"

using namespace bespoke::test::e2e;

TEST_CASE("harness.compare follows numpy.isclose") {
  FloatTensor expected{{2, 2}, {1.0f, -100.0f, 0.0f, NAN}};
  FloatTensor actual = expected;
  CHECK(compare_tensors(actual, expected, {}).ok);
  actual.values[1] = -100.09f;  // |err| 0.09 <= 1e-4 + 1e-3 * 100
  CHECK(compare_tensors(actual, expected, {}).ok);
  actual.values[2] = 2e-4f;  // above atol 1e-4 next to zero
  Comparison c = compare_tensors(actual, expected, {});
  CHECK(!c.ok);
  CHECK(c.mismatches == 1);
  CHECK(c.worst_index == 2);
  actual = expected;
  actual.values[3] = 1.0f;  // NaN expected, a number computed
  CHECK(!compare_tensors(actual, expected, {}).ok);
  actual = expected;
  actual.shape = {4};
  CHECK(!compare_tensors(actual, expected, {}).ok);
}

TEST_CASE("harness.npy round trip") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("bespoke_npy_" + std::to_string(::getpid()) + ".npy")).string();
  for (const auto& shape : {std::vector<int64_t>{}, {5}, {1, 3, 2, 2}}) {
    FloatTensor t;
    t.shape = shape;
    for (int64_t i = 0; i < element_count(shape); ++i) t.values.push_back(0.5f * static_cast<float>(i) - 1.0f);
    write_npy(path, t);
    FloatTensor back = read_npy(path);
    CHECK(back.shape == t.shape);
    CHECK(back.values == t.values);
  }
  std::filesystem::remove(path);
  CHECK_THROWS_WITH_AS(read_npy(path), doctest::Contains("cannot open"), std::runtime_error);
}

TEST_CASE("harness.isolated_call reports results, crashes and hangs") {
  IsolatedResult ok = run_isolated([] { return std::string("fine"); }, 10);
  CHECK(ok.completed);
  CHECK(ok.output == "fine");
  IsolatedResult thrown = run_isolated([]() -> std::string { throw std::runtime_error("boom"); }, 10);
  CHECK(thrown.completed);
  CHECK(thrown.output == "exception: boom");
  IsolatedResult crashed = run_isolated(
      []() -> std::string {
        std::raise(SIGSEGV);
        return "";
      },
      10);
  CHECK(!crashed.completed);
  CHECK(crashed.failure.find("signal 11") != std::string::npos);
  IsolatedResult hung = run_isolated(
      []() -> std::string {
        for (;;) ::pause();
      },
      1);
  CHECK(!hung.completed);
  CHECK(hung.failure.find("timed out") != std::string::npos);
}
