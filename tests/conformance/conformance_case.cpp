#include "conformance_case.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/compare.h"
#include "harness/npy.h"
#include "harness/onnx_to_bspk.h"
#include "tolerances.h"

namespace bespoke::test::conformance {
namespace fs = std::filesystem;
using test::e2e::BackendChoice;
using test::e2e::FloatTensor;

namespace {

std::string one_line(std::string s, size_t max_length = 400) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  if (s.size() > max_length) s = s.substr(0, max_length) + "...";
  return s;
}

CaseResult uniform(const OnnxTestCase& test, const std::vector<BackendChoice>& backends, Verdict v,
                   const std::string& detail, const std::string& mode = "") {
  CaseResult r{test.name, mode, {}};
  for (const auto& b : backends) r.backends.push_back({b.name, v, one_line(detail), ""});
  return r;
}

// A converted model plus the test inputs it takes, keyed by graph input name.
struct Prepared {
  Verdict verdict = Verdict::kPassed;  // kPassed = ready to run
  std::string detail;
  std::string mode;
  std::vector<uint8_t> bspk;
  std::map<std::string, FloatTensor> inputs;
};

Prepared not_ready(Verdict v, std::string detail) {
  Prepared p;
  p.verdict = v;
  p.detail = std::move(detail);
  return p;
}

// Messages name the file; the report already names the test.
std::string without_path(std::string message, const std::string& path) {
  for (size_t at; (at = message.find(path + ": ")) != std::string::npos;) message.erase(at, path.size() + 2);
  for (size_t at; (at = message.find(path)) != std::string::npos;) message.replace(at, path.size(), "model");
  return message;
}

Prepared convert(const std::string& model_path, const std::map<std::string, FloatTensor>& inputs,
                 const std::string& mode) {
  onnx_import::ImportOptions options;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape;
  test::e2e::Conversion c = test::e2e::convert_onnx_file(model_path, options);
  c.message = without_path(c.message, model_path);
  if (c.status == test::e2e::ConvertStatus::kUnsupported) return not_ready(Verdict::kUnsupported, c.message);
  if (c.status == test::e2e::ConvertStatus::kError) return not_ready(Verdict::kFailed, c.message);
  Prepared p;
  p.mode = mode;
  p.bspk = std::move(c.bspk);
  p.inputs = inputs;
  return p;
}

// Writes a copy of the model where fed inputs 1..n-1 are initializers holding the test's values.
void write_frozen_model(const onnx::ModelProto& model, const std::vector<std::string>& fed_names,
                        const std::vector<onnx::TensorProto>& fed_values, const std::string& path) {
  onnx::ModelProto frozen = model;
  auto* graph = frozen.mutable_graph();
  for (size_t k = 1; k < fed_names.size(); ++k) {
    onnx::TensorProto* init = graph->add_initializer();
    *init = fed_values[k];
    init->set_name(fed_names[k]);
  }
  // From IR version 4 on an initializer need not (and here should not) be a
  // graph input; before, every initializer must be listed as one.
  if (model.ir_version() >= 4) {
    auto* inputs = graph->mutable_input();
    for (int i = inputs->size() - 1; i >= 0; --i) {
      const std::string& n = inputs->Get(i).name();
      if (std::find(fed_names.begin() + 1, fed_names.end(), n) != fed_names.end()) inputs->DeleteSubrange(i, 1);
    }
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !frozen.SerializeToOstream(&out)) throw std::runtime_error("cannot write '" + path + "'");
}

// Imports the model as-is when every fed input is float32, else (or when that
// is unsupported) frozen.
Prepared prepare(const OnnxTestCase& test, const onnx::ModelProto& model, const DataSet& data,
                 const std::string& scratch_dir) {
  const std::vector<std::string> fed = runtime_input_names(model);
  if (fed.size() != data.inputs.size())
    return not_ready(Verdict::kSkipped, "test data has " + std::to_string(data.inputs.size()) +
                                            " inputs, model declares " + std::to_string(fed.size()));
  for (const auto& declared : model.graph().input())
    if (const std::string kind = non_tensor_kind(declared); !kind.empty())
      return not_ready(Verdict::kSkipped, "input '" + declared.name() + "' is not a tensor (" + kind + ")");
  std::map<std::string, FloatTensor> all_float;
  std::string non_float;
  for (size_t i = 0; i < fed.size(); ++i) {
    FloatTensor t;
    std::string why;
    if (to_float_tensor(data.inputs[i], &t, &why))
      all_float[fed[i]] = std::move(t);
    else if (non_float.empty())
      non_float = "input '" + fed[i] + "': " + why;
  }
  const std::string model_path = test.dir + "/model.onnx";
  std::string as_is_reason;
  if (non_float.empty()) {
    Prepared p = convert(model_path, all_float, "as-is");
    // A fed weight is refused as-is (unsupported, or by the validator: "must
    // be constant"); the frozen form below is the one real models have.
    if (p.verdict == Verdict::kPassed || p.verdict == Verdict::kSkipped || fed.size() < 2) return p;
    as_is_reason = p.detail;
  }
  if (fed.empty() || !all_float.count(fed[0]))
    return not_ready(Verdict::kSkipped, "non-float32 " + (non_float.empty() ? std::string("input") : non_float));
  if (fed.size() < 2) return not_ready(Verdict::kSkipped, "non-float32 " + non_float);
  const std::string frozen_path = scratch_dir + "/" + test.name + "." + std::to_string(::getpid()) + ".frozen.onnx";
  write_frozen_model(model, fed, data.inputs, frozen_path);
  Prepared p = convert(frozen_path, {{fed[0], all_float.at(fed[0])}}, "frozen");
  fs::remove(frozen_path);
  if (p.verdict != Verdict::kPassed && !as_is_reason.empty())
    p.detail = "as-is: " + as_is_reason + " | frozen: " + p.detail;
  return p;
}

// Expected outputs by graph output name, or a reason to skip.
bool expected_outputs(const onnx::ModelProto& model, const DataSet& data, std::vector<std::string>* names,
                      std::vector<FloatTensor>* values, std::string* why) {
  if (data.outputs.empty()) {
    *why = "no output_*.pb";
    return false;
  }
  if (static_cast<int>(data.outputs.size()) != model.graph().output_size()) {
    *why = "test data has " + std::to_string(data.outputs.size()) + " outputs, model declares " +
           std::to_string(model.graph().output_size());
    return false;
  }
  for (size_t i = 0; i < data.outputs.size(); ++i) {
    const auto& declared = model.graph().output(static_cast<int>(i));
    if (const std::string kind = non_tensor_kind(declared); !kind.empty()) {
      *why = "output '" + declared.name() + "' is not a tensor (" + kind + ")";
      return false;
    }
    FloatTensor t;
    std::string reason;
    if (!to_float_tensor(data.outputs[i], &t, &reason)) {
      *why = "non-float32 output '" + model.graph().output(static_cast<int>(i)).name() + "': " + reason;
      return false;
    }
    names->push_back(model.graph().output(static_cast<int>(i)).name());
    values->push_back(std::move(t));
  }
  return true;
}

// Index of `name` in `names`, else `fallback` (when the model kept positions but not names).
size_t position_of(const std::vector<std::string>& names, const std::string& name, size_t fallback) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? fallback : static_cast<size_t>(it - names.begin());
}

BackendVerdict run_on_backend(const bsp_model* model, const BackendChoice& backend, const Prepared& prepared,
                              const std::vector<std::string>& expected_names, const std::vector<FloatTensor>& expected,
                              const test::e2e::Tolerance& tol) {
  BackendVerdict v{backend.name, Verdict::kFailed, "", ""};
  // Feed inputs in the model's order, by name.
  std::vector<FloatTensor> inputs;
  for (const std::string& name : test::e2e::input_names(model)) {
    auto it = prepared.inputs.find(name);
    if (it == prepared.inputs.end()) {
      if (prepared.inputs.size() != 1) {
        v.detail = "model input '" + name + "' is not a test input";
        return v;
      }
      it = prepared.inputs.begin();  // a single input renamed by the converter
    }
    inputs.push_back(it->second);
  }
  test::e2e::RunOutcome run = test::e2e::run_model(model, backend, backend.threads, inputs);
  if (run.status != test::e2e::RunStatus::kOk) {
    v.verdict = run.status == test::e2e::RunStatus::kUnsupported ? Verdict::kUnsupported : Verdict::kFailed;
    v.detail = one_line(run.message);
    return v;
  }
  if (run.outputs.size() != expected.size()) {
    v.detail =
        "model has " + std::to_string(run.outputs.size()) + " outputs, expected " + std::to_string(expected.size());
    return v;
  }
  const std::vector<std::string> names = test::e2e::output_names(model);
  std::string details;
  bool ok = true;
  for (size_t i = 0; i < expected.size(); ++i) {
    const size_t at = position_of(names, expected_names[i], i);
    test::e2e::Comparison c = test::e2e::compare_tensors(run.outputs[at], expected[i], tol);
    ok = ok && c.ok;
    if (!details.empty()) details += "; ";
    details += expected_names[i] + ": " + c.summary;
  }
  v.verdict = ok ? Verdict::kPassed : Verdict::kFailed;
  v.detail = one_line(details);
  v.ran_on = run.operators_by_backend;
  return v;
}

// Leaves a case that passed on the reference backend where the emulated
// suites (tests/cross/emulated_suite.py) find it, so that the ARM and old-x86
// builds run the very cases the host ran: <dir>/model.bspk, and per data set
// k the inputs in model order (set<k>.input_<i>.npy), the ONNX reference
// outputs in model order (set<k>.expected_<j>.npy) and the tolerance.
void export_for_emulation(const std::string& dir, size_t set, const bsp_model* model, const Prepared& prepared,
                          const std::vector<std::string>& expected_names, const std::vector<FloatTensor>& expected,
                          const test::e2e::Tolerance& tol) {
  fs::create_directories(dir);
  if (set == 0) {
    std::ofstream bspk(dir + "/model.bspk", std::ios::binary);
    bspk.write(reinterpret_cast<const char*>(prepared.bspk.data()), static_cast<std::streamsize>(prepared.bspk.size()));
    std::ofstream(dir + "/tolerance") << tol.rtol << ' ' << tol.atol << '\n';
  }
  const std::string prefix = dir + "/set" + std::to_string(set) + ".";
  const std::vector<std::string> in_names = test::e2e::input_names(model);
  for (size_t i = 0; i < in_names.size(); ++i) {
    auto it = prepared.inputs.find(in_names[i]);
    if (it == prepared.inputs.end()) it = prepared.inputs.begin();  // the single renamed input
    test::e2e::write_npy(prefix + "input_" + std::to_string(i) + ".npy", it->second);
  }
  const std::vector<std::string> out_names = test::e2e::output_names(model);
  for (size_t j = 0; j < expected.size(); ++j)
    test::e2e::write_npy(prefix + "expected_" + std::to_string(position_of(out_names, expected_names[j], j)) + ".npy",
                         expected[j]);
}

// Folds the verdicts of several data sets: the first failure wins, then unsupported.
void merge(CaseResult* into, const CaseResult& next) {
  if (into->backends.empty()) {
    *into = next;
    return;
  }
  for (size_t i = 0; i < into->backends.size() && i < next.backends.size(); ++i) {
    auto& a = into->backends[i];
    const auto& b = next.backends[i];
    auto rank = [](Verdict x) {
      return x == Verdict::kFailed ? 3 : x == Verdict::kUnsupported ? 2 : x == Verdict::kSkipped ? 1 : 0;
    };
    if (rank(b.verdict) > rank(a.verdict)) a = b;
  }
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kPassed: return "passed";
    case Verdict::kFailed: return "FAILED";
    case Verdict::kUnsupported: return "unsupported";
    case Verdict::kSkipped: return "skipped";
  }
  return "?";
}

CaseResult run_conformance_case(const OnnxTestCase& test, const std::vector<BackendChoice>& backends,
                                const std::string& scratch_dir) {
  onnx::ModelProto model;
  std::vector<DataSet> sets;
  try {
    model = read_model(test.dir + "/model.onnx");
    sets = read_data_sets(test.dir);
  } catch (const std::exception& e) {
    return uniform(test, backends, Verdict::kSkipped, std::string("unreadable test data: ") + e.what());
  }
  if (sets.empty()) return uniform(test, backends, Verdict::kSkipped, "no test_data_set_*");
  const test::e2e::Tolerance tol = tolerance_for(test.name);
  CaseResult result{test.name, "", {}};
  for (const DataSet& data : sets) {
    std::vector<std::string> names;
    std::vector<FloatTensor> expected;
    std::string why;
    if (!expected_outputs(model, data, &names, &expected, &why)) {
      merge(&result, uniform(test, backends, Verdict::kSkipped, why));
      continue;
    }
    Prepared prepared = prepare(test, model, data, scratch_dir);
    if (prepared.verdict != Verdict::kPassed) {
      merge(&result, uniform(test, backends, prepared.verdict, prepared.detail, prepared.mode));
      continue;
    }
    bsp_status status;
    std::string message;
    test::e2e::ModelHandle loaded = test::e2e::load_model(prepared.bspk, &status, &message);
    if (!loaded) {
      merge(&result, uniform(test, backends, status == BSP_ERROR_UNSUPPORTED ? Verdict::kUnsupported : Verdict::kFailed,
                             message, prepared.mode));
      continue;
    }
    CaseResult one{test.name, prepared.mode, {}};
    for (const auto& b : backends)
      one.backends.push_back(run_on_backend(loaded.get(), b, prepared, names, expected, tol));
    if (!one.backends.empty() && one.backends.front().verdict == Verdict::kPassed)
      export_for_emulation(scratch_dir + "/cases/" + test.name, static_cast<size_t>(&data - sets.data()), loaded.get(),
                           prepared, names, expected, tol);
    merge(&result, one);
  }
  return result;
}

std::string serialize_result(const CaseResult& r) {
  std::string s = "mode\t" + r.mode + "\n";
  for (const auto& b : r.backends)
    s += b.backend + "\t" + std::to_string(static_cast<int>(b.verdict)) + "\t" + b.ran_on + "\t" +
         one_line(b.detail, 2000) + "\n";
  return s;
}

CaseResult deserialize_result(const std::string& name, const std::string& text) {
  CaseResult r{name, "", {}};
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string a, b, ran_on, detail;
    std::getline(fields, a, '\t');
    std::getline(fields, b, '\t');
    if (a == "mode") {
      r.mode = b;
    } else if (!b.empty() && b.size() == 1 && b[0] >= '0' && b[0] <= '3') {
      std::getline(fields, ran_on, '\t');
      std::getline(fields, detail);
      r.backends.push_back({a, static_cast<Verdict>(b[0] - '0'), detail, ran_on});
    }
  }
  return r;
}

}  // namespace bespoke::test::conformance
