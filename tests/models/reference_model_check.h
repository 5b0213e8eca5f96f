// Checks a real ONNX model end to end against an independent reference:
// convert with the converter's libraries, then run the .bspk through the C
// API on every available backend with 1 and 2 threads (two runs each, so a
// session that corrupts its own state on re-run is caught) and compare every
// output with the reference outputs (PyTorch/LibTorch or ONNX Runtime).
// Every (backend, threads) combination runs in its own child process, so a
// crash or hang fails that combination and the others are still reported.
#pragma once

#include <string>
#include <vector>

#include "harness/compare.h"

namespace bespoke::models {

struct ReferenceModel {
  std::string label;                      // "mobilenet_v2", "ppocr_det"
  std::string onnx_path;
  std::string input_name;                 // "" = the model's shapes are static
  std::string input_npy;
  std::vector<std::string> output_npys;   // reference outputs, in model output order
  e2e::Tolerance tolerance;
  // false: a model we only expect to run if the converter supports it
  // (prints a skip marker instead of failing when it does not convert).
  bool must_convert = true;
};

// Marker CTest's SKIP_REGULAR_EXPRESSION looks for (tests/models/CMakeLists.txt).
inline constexpr const char* kSkipMarker = "BESPOKE-SKIPPED";

// Runs the checks with doctest assertions; prints a result line per backend and thread count.
void check_reference_model(const ReferenceModel& model);

}  // namespace bespoke::models
