// Runs one suite folder of the ONNX backend test data (or one shard of it),
// each test isolated in a child process, and summarizes: a per-backend table
// of passed / failed / unsupported / skipped, the failures, and the most
// common reasons for "unsupported". A tab-separated per-test report is
// written to <report_dir>/<label>.tsv.
#pragma once

#include <string>
#include <vector>

#include "conformance_case.h"

namespace bespoke::test::conformance {

struct SuiteRun {
  std::string label;                  // e.g. "node.0of2"
  std::vector<std::string> backends;  // backends_under_test(), in result order
  std::vector<CaseResult> results;
  std::vector<std::string> failures;  // "test [backend] mode: detail"
  std::string table;                  // printable summary
};

// shard/shards select every shards-th test starting at shard.
SuiteRun run_suite(const std::string& suite_dir, const std::string& label, int shard, int shards,
                   const std::string& report_dir);

}  // namespace bespoke::test::conformance
