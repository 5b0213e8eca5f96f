#include "conformance_suite.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "harness/isolated_call.h"

namespace bespoke::test::conformance {
namespace fs = std::filesystem;
namespace {

// Generous: the largest pytorch-converted models take well under a second.
constexpr unsigned kCaseTimeoutSeconds = 60;

// Groups "unsupported" reasons: the final attempt's message (after "frozen: "
// when the test was retried) without the names of nodes, which differ per test.
std::string reason_key(const std::string& detail) {
  static const std::regex node_name("node '[^']*' ");
  static const std::regex node_list(" \\(nodes? [^)]*\\)|, input has shape \\[[^\\]]*\\]");
  const std::string retried = " | frozen: ";
  const size_t at = detail.find(retried);
  std::string s = at == std::string::npos ? detail : detail.substr(at + retried.size());
  s = std::regex_replace(std::regex_replace(s, node_list, ""), node_name, "");
  const std::string prefix = "import: cannot convert to the canonical operator set: ";
  if (s.rfind(prefix, 0) == 0) s = "import: " + s.substr(prefix.size());
  return s.substr(0, 110);
}

std::string format_table(const std::string& label, const std::vector<CaseResult>& results,
                         const std::vector<std::string>& backend_order) {
  std::map<std::string, std::array<int, 4>> counts;
  std::map<std::string, int> fell_back;  // passes where the reference ran some operator
  int frozen = 0;
  for (const auto& r : results) {
    if (r.mode == "frozen") ++frozen;
    for (const auto& b : r.backends) {
      counts[b.backend][static_cast<int>(b.verdict)]++;
      if (b.verdict == Verdict::kPassed && b.backend != "reference" && b.ran_on.find("reference") != std::string::npos)
        fell_back[b.backend]++;
    }
  }
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "\nONNX conformance %s: %zu tests (%d run with fed weights frozen)\n", label.c_str(),
                results.size(), frozen);
  out += line;
  std::snprintf(line, sizeof line, "  %-10s %8s %22s %8s %12s %8s\n", "backend", "passed", "of which via reference",
                "failed", "unsupported", "skipped");
  out += line;
  for (const auto& name : backend_order) {
    const auto& c = counts[name];
    std::snprintf(line, sizeof line, "  %-10s %8d %22d %8d %12d %8d\n", name.c_str(), c[0], fell_back[name], c[1], c[2],
                  c[3]);
    out += line;
  }
  return out;
}

std::string format_top_reasons(const std::vector<CaseResult>& results, size_t how_many) {
  std::map<std::string, int> reasons;
  for (const auto& r : results) {
    // Count a test once per reason even if every backend shares it.
    std::map<std::string, bool> seen;
    for (const auto& b : r.backends)
      if (b.verdict == Verdict::kUnsupported && !seen[b.detail]) {
        seen[b.detail] = true;
        reasons[reason_key(b.detail)]++;
      }
  }
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [k, n] : reasons) sorted.push_back({n, k});
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  if (!sorted.empty()) out += "  most common 'unsupported' reasons:\n";
  for (size_t i = 0; i < sorted.size() && i < how_many; ++i)
    out += "    " + std::to_string(sorted[i].first) + "x  " + sorted[i].second + "\n";
  return out;
}

void write_report(const std::string& path, const std::vector<CaseResult>& results) {
  std::ofstream out(path);
  out << "test\tmode\tbackend\tverdict\tdetail\n";
  for (const auto& r : results)
    for (const auto& b : r.backends)
      out << r.name << '\t' << r.mode << '\t' << b.backend << '\t' << verdict_name(b.verdict) << '\t' << b.detail
          << '\n';
}

CaseResult failed_everywhere(const std::string& name, const std::vector<test::e2e::BackendChoice>& backends,
                             const std::string& why) {
  CaseResult r{name, "", {}};
  for (const auto& b : backends) r.backends.push_back({b.name, Verdict::kFailed, why, ""});
  return r;
}

// All backends in one child; if it dies, each backend in its own child so
// that a crash is charged to the backend that crashed.
CaseResult run_case_isolated(const OnnxTestCase& test, const std::vector<test::e2e::BackendChoice>& backends,
                             const std::string& scratch_dir) {
  auto attempt = [&](const std::vector<test::e2e::BackendChoice>& some) {
    test::e2e::IsolatedResult iso = test::e2e::run_isolated(
        [&] { return serialize_result(run_conformance_case(test, some, scratch_dir)); }, kCaseTimeoutSeconds);
    CaseResult r = deserialize_result(test.name, iso.output);
    if (iso.completed && r.backends.size() == some.size()) return r;
    return failed_everywhere(test.name, some, iso.completed ? "harness: " + iso.output : iso.failure);
  };
  CaseResult all = attempt(backends);
  const bool died = std::all_of(all.backends.begin(), all.backends.end(), [](const BackendVerdict& b) {
    return b.verdict == Verdict::kFailed && (b.detail.rfind("crashed", 0) == 0 || b.detail.rfind("timed out", 0) == 0);
  });
  if (!died || backends.size() < 2) return all;
  CaseResult split{test.name, "", {}};
  for (const auto& b : backends) {
    CaseResult one = attempt({b});
    if (split.mode.empty()) split.mode = one.mode;
    split.backends.push_back(one.backends.front());
  }
  return split;
}

}  // namespace

SuiteRun run_suite(const std::string& suite_dir, const std::string& label, int shard, int shards,
                   const std::string& report_dir) {
  SuiteRun run;
  run.label = label;
  const std::vector<test::e2e::BackendChoice> backends = test::e2e::backends_under_test();
  std::vector<std::string>& backend_order = run.backends;
  for (const auto& b : backends) backend_order.push_back(b.name);
  fs::create_directories(report_dir);
  const std::vector<OnnxTestCase> all = list_test_cases(suite_dir);
  // Debugging aids: BESPOKE_CONFORMANCE_ONLY=<test name> runs one test,
  // BESPOKE_CONFORMANCE_IN_PROCESS=1 runs without fork (for gdb).
  const char* only = std::getenv("BESPOKE_CONFORMANCE_ONLY");
  const bool in_process = std::getenv("BESPOKE_CONFORMANCE_IN_PROCESS") != nullptr;
  for (size_t i = static_cast<size_t>(shard); i < all.size(); i += static_cast<size_t>(shards)) {
    const OnnxTestCase& test = all[i];
    if (only && test.name != only) continue;
    fs::remove_all(report_dir + "/cases/" + test.name);  // rewritten if it still passes
    CaseResult r =
        in_process ? run_conformance_case(test, backends, report_dir) : run_case_isolated(test, backends, report_dir);
    for (const auto& b : r.backends)
      if (b.verdict == Verdict::kFailed)
        run.failures.push_back(r.name + " [" + b.backend + (r.mode.empty() ? "" : ", " + r.mode) + "]: " + b.detail);
    run.results.push_back(std::move(r));
  }
  write_report(report_dir + "/" + label + ".tsv", run.results);
  run.table = format_table(label, run.results, backend_order) + format_top_reasons(run.results, 12) +
              "  per-test report: " + report_dir + "/" + label + ".tsv\n";
  return run;
}

}  // namespace bespoke::test::conformance
