#include "reference_model_check.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "expected_verdicts.h"
#include "harness/bespoke_runner.h"
#include "harness/isolated_call.h"
#include "harness/npy.h"
#include "harness/onnx_to_bspk.h"
#include "support/test_assets.h"

namespace bespoke::test::models {

namespace {

// Whole-model runs on the reference backend take seconds; a hang is a failure.
constexpr unsigned kRunTimeoutSeconds = 240;

// Loads the model, runs it twice, compares every output. Returns
// "ok <operators by backend>\t<comparison>" or "failed <why>".
std::string run_and_compare(const std::vector<uint8_t>& bspk, const test::e2e::BackendChoice& backend,
                            const test::e2e::FloatTensor& input, const std::vector<test::e2e::FloatTensor>& expected,
                            const test::e2e::Tolerance& tolerance) {
  bsp_status status;
  std::string message;
  test::e2e::ModelHandle loaded = test::e2e::load_model(bspk, &status, &message);
  if (!loaded) return "failed " + message;
  if (bsp_model_output_count(loaded.get()) != expected.size())
    return "failed model has " + std::to_string(bsp_model_output_count(loaded.get())) + " outputs, reference " +
           std::to_string(expected.size());
  const test::e2e::RunOutcome run = test::e2e::run_model(loaded.get(), backend, backend.threads, {input}, /*runs=*/2);
  if (run.status != test::e2e::RunStatus::kOk) return "failed " + run.message;
  bool ok = true;
  std::string line;
  for (size_t i = 0; i < expected.size(); ++i) {
    const test::e2e::Comparison c = test::e2e::compare_tensors(run.outputs[i], expected[i], tolerance);
    ok = ok && c.ok;
    line += (i ? "; " : "") + c.summary;
  }
  return (ok ? "ok " : "failed ") + run.operators_by_backend + "\t" + line;
}

// The combinations: every backend with 1 and 2 threads, `auto` included.
std::vector<test::e2e::BackendChoice> combinations() {
  std::vector<test::e2e::BackendChoice> out;
  for (test::e2e::BackendChoice b : test::e2e::available_backends()) {
    for (int threads : {1, 2}) {
      b.threads = threads;
      out.push_back(b);
    }
  }
  out.push_back({"auto", BSP_BACKEND_AUTO, 1});
  out.push_back({"auto", BSP_BACKEND_AUTO, 2});
  return out;
}

std::string combination_key(const test::e2e::BackendChoice& b) { return b.name + " x" + std::to_string(b.threads); }

// tests/models/expected_backends/<label>.tsv: "<backend> x<threads>\t<operators by backend>".
using ExpectedBackends = std::map<std::string, std::string>;

std::string expected_backends_path(const std::string& label) {
  return std::string(BESPOKE_SOURCE_DIR) + "/tests/models/expected_backends/" + label + ".tsv";
}

ExpectedBackends read_expected_backends(const std::string& path, std::string* cpu) {
  ExpectedBackends out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# cpu: ", 0) == 0) *cpu = line.substr(7);
    const size_t tab = line.find('\t');
    if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
    out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

void write_expected_backends(const std::string& path, const std::string& label, const ExpectedBackends& actual) {
  std::ofstream out(path);
  out << "# Operators per backend that really ran " << label
      << " on each session configuration (tests/models/reference_model_check.h).\n"
      << "# cpu: " << test::conformance::host_cpu_class() << "\n";
  for (const auto& [key, ran_on] : actual) out << key << '\t' << ran_on << '\n';
}

}  // namespace

void check_reference_model(const ReferenceModel& model) {
  std::vector<std::string> files{model.onnx_path, model.input_npy};
  files.insert(files.end(), model.output_npys.begin(), model.output_npys.end());
  for (const std::string& f : files)
    if (!test::require_asset(f, model.how_to_get)) return;
  const test::e2e::FloatTensor input = test::e2e::read_npy(model.input_npy);
  std::vector<test::e2e::FloatTensor> expected;
  for (const auto& f : model.output_npys) expected.push_back(test::e2e::read_npy(f));

  onnx_import::ImportOptions options;
  if (!model.input_name.empty()) options.input_shapes[model.input_name] = input.shape;
  const test::e2e::Conversion converted = test::e2e::convert_onnx_file(model.onnx_path, options);
  REQUIRE_MESSAGE(converted.status == test::e2e::ConvertStatus::kOk, model.label << ": " << converted.message);

  std::string recorded_cpu;
  const std::string pinned_path = expected_backends_path(model.label);
  const ExpectedBackends pinned = read_expected_backends(pinned_path, &recorded_cpu);
  const bool same_cpu = recorded_cpu == test::conformance::host_cpu_class();
  ExpectedBackends actual;

  // Each (backend, threads) run in its own child process: a crash or hang is
  // charged to that combination and the others still run. The parent only
  // converts, so it never starts the runtime's threads before forking.
  std::printf("%-22s %-10s %-7s %-28s %s\n", "model", "backend", "threads", "operators ran on", "result");
  for (const test::e2e::BackendChoice& backend : combinations()) {
    const test::e2e::IsolatedResult iso = test::e2e::run_isolated(
        [&] { return run_and_compare(converted.bspk, backend, input, expected, model.tolerance); }, kRunTimeoutSeconds);
    const bool ok = iso.completed && iso.output.rfind("ok ", 0) == 0;
    std::string ran_on, line = iso.completed ? iso.output.substr(iso.output.find(' ') + 1) : iso.failure;
    if (ok) {
      ran_on = line.substr(0, line.find('\t'));
      line = line.substr(line.find('\t') + 1);
    }
    std::printf("%-22s %-10s %-7d %-28s %s%s\n", model.label.c_str(), backend.name.c_str(), backend.threads,
                ran_on.c_str(), ok ? "" : "FAILED ", line.c_str());
    std::fflush(stdout);
    CHECK_MESSAGE(ok, model.label << " on " << backend.name << " x" << backend.threads << ": " << line);
    if (!ok) continue;
    const std::string key = combination_key(backend);
    actual[key] = ran_on;
    const auto want = pinned.find(key);
    if (backend.id == BSP_BACKEND_AUTO && !same_cpu) continue;  // auto routes by CPU class
    CHECK_MESSAGE(want != pinned.end(), model.label << " " << key << ": no pinned operator counts in " << pinned_path);
    if (want != pinned.end())
      CHECK_MESSAGE(want->second == ran_on, model.label << " " << key << ": operators ran on '" << ran_on
                                                        << "', pinned '" << want->second << "' in " << pinned_path);
  }
  if (std::getenv("BESPOKE_UPDATE_VERDICTS") && actual.size() == combinations().size()) {
    write_expected_backends(pinned_path, model.label, actual);
    std::printf("rewrote %s\n", pinned_path.c_str());
  }
  std::fflush(stdout);
}

}  // namespace bespoke::test::models
