// The committed expected verdicts of a conformance suite
// (tests/conformance/verdicts/<label>.tsv): one line per ONNX test, one
// column per backend under test, each cell the verdict plus, for a run, the
// number of operators each backend really ran ("passed [xnnpack 2,
// reference 1]"). A run that differs in any cell fails the suite, so an
// operator the converter or a backend stops handling -- even one the
// reference fallback then runs correctly -- turns the suite red.
//
// A case expected to fail must give its reason in the last column; an
// unexplained expected failure is itself a difference. After a deliberate
// change, `BESPOKE_UPDATE_VERDICTS=1` rewrites the file (keeping reasons);
// the commit that changes it says why.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "conformance_case.h"

namespace bespoke::test::conformance {

struct ExpectedVerdicts {
  std::string cpu;                    // CPU class the file was recorded on (see host_cpu_class)
  std::vector<std::string> backends;  // column order
  std::map<std::string, std::map<std::string, std::string>> cells;  // test -> backend -> cell
  std::map<std::string, std::string> reasons;                       // test -> why it is expected to fail
};

// "passed [onednn 3]", "unsupported", "FAILED", "skipped".
std::string verdict_cell(const BackendVerdict& v);

// "avx512" or "x86-64" (or the architecture): `auto` routes by it, so its
// operator counts are compared only on a host of the recorded class.
std::string host_cpu_class();

// A missing file reads as empty (every case then differs). Throws
// std::runtime_error naming the file and line when it is malformed.
ExpectedVerdicts read_expected_verdicts(const std::string& path);

// One line per difference; `whole_suite` = every expected case must have run.
std::vector<std::string> verdict_differences(const ExpectedVerdicts& expected, const std::vector<CaseResult>& results,
                                             const std::vector<std::string>& backends, bool whole_suite);

void write_expected_verdicts(const std::string& path, const std::string& label, const std::vector<CaseResult>& results,
                             const std::vector<std::string>& backends, const ExpectedVerdicts& previous);

}  // namespace bespoke::test::conformance
