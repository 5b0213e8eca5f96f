// One ONNX backend test, end to end: import model.onnx for inference with the
// test data's input shapes, write the .bspk in memory, load it through the C
// API, and for every backend run each test_data_set and compare every output.
//
// Graph inputs that the test feeds but an inference model would hold as
// weights (Conv's W, MatMul's B, Reshape's shape...) make a plain import
// unsupported. Such tests are retried "frozen": every fed input except the
// first becomes an initializer holding the test's value, which is the form
// real exported models have. The mode is recorded with the result.
#pragma once

#include <string>
#include <vector>

#include "harness/bespoke_runner.h"
#include "onnx_test_case.h"

namespace bespoke::test::conformance {

enum class Verdict {
  kPassed,
  kFailed,       // a supported test gave wrong results, or a component failed with a real error
  kUnsupported,  // importer/writer/runtime reported the model as unsupported
  kSkipped,      // outside this suite's scope: non-float32 inputs or outputs, no test data
};
const char* verdict_name(Verdict v);

struct BackendVerdict {
  std::string backend;
  Verdict verdict = Verdict::kFailed;
  std::string detail;  // one line
  std::string ran_on;  // operators per backend that ran them ("xnnpack 2, reference 1"), when it ran
};

struct CaseResult {
  std::string name;
  std::string mode;  // "as-is", "frozen", or "" when it never got to run
  std::vector<BackendVerdict> backends;
};

// Runs in the calling process; `scratch_dir` receives temporary frozen models.
CaseResult run_conformance_case(const OnnxTestCase& test, const std::vector<test::e2e::BackendChoice>& backends,
                                const std::string& scratch_dir);

// Text form for sending a result from an isolated child to the parent.
std::string serialize_result(const CaseResult& r);
CaseResult deserialize_result(const std::string& name, const std::string& text);

}  // namespace bespoke::test::conformance
