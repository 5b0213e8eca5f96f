#include "reference_model_check.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "harness/bespoke_runner.h"
#include "harness/isolated_call.h"
#include "harness/npy.h"
#include "harness/onnx_to_bspk.h"

namespace bespoke::models {
namespace fs = std::filesystem;

namespace {

// Whole-model runs on the reference backend take seconds; a hang is a failure.
constexpr unsigned kRunTimeoutSeconds = 240;

// Loads the model, runs it twice, compares every output. Returns "ok <line>" or
// "failed <line>", where <line> starts with the backend that actually ran.
std::string run_and_compare(const std::vector<uint8_t>& bspk, const e2e::BackendChoice& backend, int threads,
                            const e2e::FloatTensor& input, const std::vector<e2e::FloatTensor>& expected,
                            const e2e::Tolerance& tolerance) {
  bsp_status status;
  std::string message;
  e2e::ModelHandle loaded = e2e::load_model(bspk, &status, &message);
  if (!loaded) return "failed " + message;
  if (bsp_model_output_count(loaded.get()) != expected.size())
    return "failed model has " + std::to_string(bsp_model_output_count(loaded.get())) + " outputs, reference " +
           std::to_string(expected.size());
  const e2e::RunOutcome run = e2e::run_model(loaded.get(), backend, threads, {input}, /*runs=*/2);
  if (run.status != e2e::RunStatus::kOk) return "failed " + run.message;
  bool ok = true;
  char head[32];
  std::snprintf(head, sizeof head, "%-10s ", run.backend_used.c_str());
  std::string line = head;
  for (size_t i = 0; i < expected.size(); ++i) {
    const e2e::Comparison c = e2e::compare_tensors(run.outputs[i], expected[i], tolerance);
    ok = ok && c.ok;
    line += (i ? "; " : "") + c.summary;
  }
  return (ok ? "ok " : "failed ") + line;
}

void skip(const std::string& label, const std::string& why) {
  std::cout << kSkipMarker << ": " << label << ": " << why << std::endl;
  MESSAGE("skipped: " << why);
}

}  // namespace

void check_reference_model(const ReferenceModel& model) {
  for (const std::string& f : [&] {
         std::vector<std::string> all{model.onnx_path, model.input_npy};
         all.insert(all.end(), model.output_npys.begin(), model.output_npys.end());
         return all;
       }()) {
    if (!fs::exists(f)) return skip(model.label, "missing " + f);
  }
  const e2e::FloatTensor input = e2e::read_npy(model.input_npy);
  std::vector<e2e::FloatTensor> expected;
  for (const auto& f : model.output_npys) expected.push_back(e2e::read_npy(f));

  onnx_import::ImportOptions options;
  if (!model.input_name.empty()) options.input_shapes[model.input_name] = input.shape;
  const e2e::Conversion converted = e2e::convert_onnx_file(model.onnx_path, options);
  if (converted.status == e2e::ConvertStatus::kUnsupported && !model.must_convert)
    return skip(model.label, "does not convert yet: " + converted.message);
  REQUIRE_MESSAGE(converted.status == e2e::ConvertStatus::kOk, model.label << ": " << converted.message);

  // Each (backend, threads) run in its own child process: a crash or hang is
  // charged to that combination and the others still run. The parent only
  // converts, so it never starts the runtime's threads before forking.
  std::printf("%-22s %-10s %-7s %-10s %s\n", "model", "backend", "threads", "ran on", "result");
  for (const auto& backend : e2e::available_backends()) {
    for (int threads : {1, 2}) {
      const e2e::IsolatedResult iso = e2e::run_isolated(
          [&] { return run_and_compare(converted.bspk, backend, threads, input, expected, model.tolerance); },
          kRunTimeoutSeconds);
      const bool ok = iso.completed && iso.output.rfind("ok ", 0) == 0;
      const std::string line = iso.completed ? iso.output.substr(iso.output.find(' ') + 1) : iso.failure;
      std::printf("%-22s %-10s %-7d %s%s\n", model.label.c_str(), backend.name.c_str(), threads, ok ? "" : "FAILED ",
                  line.c_str());
      std::fflush(stdout);
      CHECK_MESSAGE(ok, model.label << " on " << backend.name << " x" << threads << ": " << line);
    }
  }
  std::fflush(stdout);
}

}  // namespace bespoke::models
