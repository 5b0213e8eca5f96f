// Checks a real ONNX model end to end against an independent reference:
// convert with the converter's libraries, then run the .bspk through the C
// API on every available backend and `auto` with 1 and 2 threads (two runs
// each, so a session that corrupts its own state on re-run is caught) and
// compare every output with the reference outputs (PyTorch/LibTorch or ONNX
// Runtime). Every (backend, threads) combination runs in its own child
// process, so a crash or hang fails that combination and the others are
// still reported.
//
// Which backend ran how many operators is pinned per combination in
// tests/models/expected_backends/<label>.tsv: a backend that starts refusing
// an operator (which the reference fallback then runs correctly) fails the
// test. BESPOKE_UPDATE_VERDICTS=1 rewrites the file after a deliberate change.
#pragma once

#include <string>
#include <vector>

#include "harness/compare.h"

namespace bespoke::test::models {

struct ReferenceModel {
  std::string label;  // "mobilenet_v2", "ppocr_det"
  std::string onnx_path;
  std::string input_name;  // "" = the model's shapes are static
  std::string input_npy;
  std::vector<std::string> output_npys;  // reference outputs, in model output order
  test::e2e::Tolerance tolerance;
  std::string how_to_get;  // said when a file is missing (support/test_assets.h)
};

// Runs the checks with doctest assertions; prints a result line per backend and thread count.
void check_reference_model(const ReferenceModel& model);

}  // namespace bespoke::test::models
