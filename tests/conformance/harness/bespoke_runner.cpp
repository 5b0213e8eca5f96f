#include "harness/bespoke_runner.h"

#include <map>
#include <sstream>

namespace bespoke::test::e2e {
namespace {

struct SessionDeleter {
  void operator()(bsp_session* s) const { bsp_session_destroy(s); }
};
using SessionHandle = std::unique_ptr<bsp_session, SessionDeleter>;

RunOutcome failed(bsp_status status, const std::string& step) {
  RunOutcome r;
  r.status = status == BSP_ERROR_UNSUPPORTED ? RunStatus::kUnsupported : RunStatus::kError;
  r.message = step + ": " + describe_failure(status);
  return r;
}

RunOutcome error(const std::string& message) {
  RunOutcome r;
  r.status = RunStatus::kError;
  r.message = message;
  return r;
}

std::vector<int64_t> dims_of(const bsp_tensor_info& info) {
  return std::vector<int64_t>(info.dims, info.dims + info.rank);
}

std::string count_operators_by_backend(const bsp_session* session) {
  std::map<std::string, int> counts;
  const size_t n = bsp_session_profile_count(session, BSP_PROFILE_OPERATORS);
  for (size_t i = 0; i < n; ++i) {
    bsp_profile_entry entry{};
    entry.struct_size = sizeof entry;
    if (bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, i, &entry) != BSP_OK) return "profile unreadable";
    counts[entry.backend ? entry.backend : "?"]++;
  }
  std::string out;
  for (const auto& [backend, count] : counts) out += (out.empty() ? "" : ", ") + backend + " " + std::to_string(count);
  return out;
}

}  // namespace

std::vector<BackendChoice> available_backends() {
  std::vector<BackendChoice> out;
  std::stringstream list(bsp_available_backends());
  std::string name;
  while (std::getline(list, name, ',')) {
    if (name == "reference")
      out.push_back({name, BSP_BACKEND_REFERENCE});
    else if (name == "xnnpack")
      out.push_back({name, BSP_BACKEND_XNNPACK});
    else if (name == "onednn")
      out.push_back({name, BSP_BACKEND_ONEDNN});
  }
  return out;
}

std::vector<BackendChoice> backends_under_test() {
  std::vector<BackendChoice> out = available_backends();
  out.push_back({"auto", BSP_BACKEND_AUTO, 1});
  out.push_back({"auto x2", BSP_BACKEND_AUTO, 2});
  return out;
}

std::string describe_failure(bsp_status status) {
  return std::string(bsp_status_string(status)) + ": " + bsp_last_error_message();
}

ModelHandle load_model(const std::vector<uint8_t>& bytes, bsp_status* status, std::string* message) {
  bsp_model* raw = nullptr;
  *status = bsp_model_load_memory(bytes.data(), bytes.size(), /*copy=*/1, &raw);
  if (*status != BSP_OK) {
    *message = "bsp_model_load_memory: " + describe_failure(*status);
    return nullptr;
  }
  return ModelHandle(raw);
}

std::vector<std::string> input_names(const bsp_model* model) {
  std::vector<std::string> names;
  for (size_t i = 0; i < bsp_model_input_count(model); ++i) {
    bsp_tensor_info info;
    info.struct_size = sizeof(info);
    names.push_back(bsp_model_input_info(model, i, &info) == BSP_OK && info.name ? info.name : "");
  }
  return names;
}

std::vector<std::string> output_names(const bsp_model* model) {
  std::vector<std::string> names;
  for (size_t i = 0; i < bsp_model_output_count(model); ++i) {
    bsp_tensor_info info;
    info.struct_size = sizeof(info);
    names.push_back(bsp_model_output_info(model, i, &info) == BSP_OK && info.name ? info.name : "");
  }
  return names;
}

RunOutcome run_model(const bsp_model* model, const BackendChoice& backend, int threads,
                     const std::vector<FloatTensor>& inputs, int runs) {
  if (bsp_model_input_count(model) != inputs.size())
    return error("model has " + std::to_string(bsp_model_input_count(model)) + " inputs, test provides " +
                 std::to_string(inputs.size()));
  bsp_session_options options;
  bsp_session_options_init(&options);
  options.backend = backend.id;
  options.num_threads = threads;
  options.enable_profiling = 1;  // for operators_by_backend
  bsp_session* raw = nullptr;
  if (bsp_status s = bsp_session_create(model, &options, &raw); s != BSP_OK) return failed(s, "bsp_session_create");
  SessionHandle session(raw);

  for (size_t i = 0; i < inputs.size(); ++i) {
    bsp_tensor_info info;
    info.struct_size = sizeof(info);
    if (bsp_status s = bsp_model_input_info(model, i, &info); s != BSP_OK) return failed(s, "bsp_model_input_info");
    if (info.type != BSP_FLOAT32) return error("input " + std::to_string(i) + " is not float32");
    if (dims_of(info) != inputs[i].shape)
      return error("input " + std::to_string(i) + " has shape " + shape_to_string(dims_of(info)) + ", test data " +
                   shape_to_string(inputs[i].shape));
    if (bsp_status s =
            bsp_session_set_input(session.get(), i, inputs[i].values.data(), inputs[i].values.size() * sizeof(float));
        s != BSP_OK)
      return failed(s, "bsp_session_set_input(" + std::to_string(i) + ")");
  }
  for (int r = 0; r < runs; ++r)
    if (bsp_status s = bsp_session_run(session.get()); s != BSP_OK) return failed(s, "bsp_session_run");

  RunOutcome out;
  out.status = RunStatus::kOk;
  out.backend_used = bsp_session_backend(session.get());
  out.operators_by_backend = count_operators_by_backend(session.get());
  for (size_t i = 0; i < bsp_model_output_count(model); ++i) {
    bsp_tensor_info info;
    info.struct_size = sizeof(info);
    if (bsp_status s = bsp_model_output_info(model, i, &info); s != BSP_OK) return failed(s, "bsp_model_output_info");
    if (info.type != BSP_FLOAT32) return error("output " + std::to_string(i) + " is not float32");
    FloatTensor t;
    t.shape = dims_of(info);
    t.values.resize(static_cast<size_t>(element_count(t.shape)));
    if (info.byte_size != t.values.size() * sizeof(float))
      return error("output " + std::to_string(i) + " byte_size " + std::to_string(info.byte_size) +
                   " disagrees with its shape " + shape_to_string(t.shape));
    if (bsp_status s = bsp_session_copy_output(session.get(), i, t.values.data(), info.byte_size); s != BSP_OK)
      return failed(s, "bsp_session_copy_output(" + std::to_string(i) + ")");
    out.outputs.push_back(std::move(t));
  }
  return out;
}

}  // namespace bespoke::test::e2e
