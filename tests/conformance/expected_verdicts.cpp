#include "expected_verdicts.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bespoke::test::conformance {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, '\t');) fields.push_back(f);
  if (!line.empty() && line.back() == '\t') fields.push_back("");
  return fields;
}

// The verdict word of a cell, without the operator counts.
std::string verdict_word(const std::string& cell) { return cell.substr(0, cell.find(" [")); }

bool is_auto(const std::string& backend) { return backend.rfind("auto", 0) == 0; }

const std::string kCpuPrefix = "# cpu: ";

}  // namespace

std::string verdict_cell(const BackendVerdict& v) {
  std::string cell = verdict_name(v.verdict);
  if (v.verdict == Verdict::kPassed && !v.ran_on.empty()) cell += " [" + v.ran_on + "]";
  return cell;
}

std::string host_cpu_class() {
#if defined(__x86_64__)
  // AUTO prefers oneDNN for some operators on AVX-512 only (OnednnBackend::preferred_for).
  return __builtin_cpu_supports("avx512f") ? "avx512" : "x86-64";
#elif defined(__aarch64__)
  return "aarch64";
#else
  return "other";
#endif
}

ExpectedVerdicts read_expected_verdicts(const std::string& path) {
  ExpectedVerdicts e;
  std::ifstream in(path);
  if (!in) return e;
  std::string line;
  int number = 0;
  auto malformed = [&](const std::string& why) {
    return std::runtime_error(path + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind(kCpuPrefix, 0) == 0) e.cpu = line.substr(kCpuPrefix.size());
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split_tabs(line);
    if (e.backends.empty()) {  // the header: test, backends..., reason
      if (fields.size() < 3 || fields.front() != "test" || fields.back() != "reason")
        throw malformed("expected the header 'test<TAB>backend...<TAB>reason'");
      e.backends.assign(fields.begin() + 1, fields.end() - 1);
      continue;
    }
    if (fields.size() != e.backends.size() + 2)
      throw malformed(std::to_string(fields.size()) + " fields, the header has " +
                      std::to_string(e.backends.size() + 2));
    for (size_t i = 0; i < e.backends.size(); ++i) e.cells[fields[0]][e.backends[i]] = fields[i + 1];
    if (!fields.back().empty()) e.reasons[fields[0]] = fields.back();
  }
  return e;
}

std::vector<std::string> verdict_differences(const ExpectedVerdicts& expected, const std::vector<CaseResult>& results,
                                             const std::vector<std::string>& backends, bool whole_suite) {
  std::vector<std::string> out;
  if (expected.backends != backends) {
    std::string have, want;
    for (const auto& b : backends) have += " '" + b + "'";
    for (const auto& b : expected.backends) want += " '" + b + "'";
    out.push_back("backends under test:" + have + "; the verdict file has:" + want);
    return out;
  }
  const bool same_cpu = expected.cpu == host_cpu_class();
  std::map<std::string, bool> ran;
  for (const CaseResult& r : results) {
    ran[r.name] = true;
    auto it = expected.cells.find(r.name);
    if (it == expected.cells.end()) {
      out.push_back(r.name + ": not in the verdict file (a new test?)");
      continue;
    }
    bool failed_somewhere = false;
    for (const BackendVerdict& b : r.backends) {
      const std::string actual = verdict_cell(b);
      const auto want = it->second.find(b.backend);
      const std::string wanted = want == it->second.end() ? "" : want->second;
      failed_somewhere = failed_somewhere || b.verdict == Verdict::kFailed;
      const bool counts_comparable = same_cpu || !is_auto(b.backend);
      const bool same = counts_comparable ? actual == wanted : verdict_word(actual) == verdict_word(wanted);
      if (!same)
        out.push_back(r.name + " [" + b.backend + "]: expected '" + wanted + "', got '" + actual + "'" +
                      (b.detail.empty() ? "" : ": " + b.detail));
    }
    if (failed_somewhere && !expected.reasons.count(r.name))
      out.push_back(r.name + ": expected to fail without a reason in the verdict file");
  }
  if (whole_suite)
    for (const auto& [name, cells] : expected.cells)
      if (!ran.count(name)) out.push_back(name + ": in the verdict file but not run (test data changed?)");
  return out;
}

void write_expected_verdicts(const std::string& path, const std::string& label, const std::vector<CaseResult>& results,
                             const std::vector<std::string>& backends, const ExpectedVerdicts& previous) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
  out << "# Expected verdicts of the ONNX conformance suite " << label << " (tests/conformance/expected_verdicts.h).\n"
      << "# A cell is the verdict and, for a run, how many operators each backend ran.\n"
      << "# Rewritten by BESPOKE_UPDATE_VERDICTS=1; an expected failure needs a reason.\n"
      << kCpuPrefix << host_cpu_class() << "\n"
      << "test";
  for (const auto& b : backends) out << '\t' << b;
  out << "\treason\n";
  for (const CaseResult& r : results) {
    out << r.name;
    bool failed_somewhere = false;
    for (const BackendVerdict& b : r.backends) {
      out << '\t' << verdict_cell(b);
      failed_somewhere = failed_somewhere || b.verdict == Verdict::kFailed;
    }
    const auto reason = previous.reasons.find(r.name);
    out << '\t' << (failed_somewhere && reason != previous.reasons.end() ? reason->second : "") << '\n';
  }
}

}  // namespace bespoke::test::conformance
