// bespoke.hpp: a thin, header-only C++17 wrapper over the C API (bespoke.h).
// RAII handles, std::string / std::vector instead of raw buffers, and
// bespoke::Error (with the bsp_status and the runtime's message) instead of
// status codes. Programs built without exceptions should use bespoke.h.
//
//   bespoke::Model model = bespoke::Model::load_file("m.bspk");
//   bespoke::Session session(model, bespoke::SessionOptions().threads(2));
//   session.set_input(0, pixels);            // std::vector<float>
//   session.run();
//   std::vector<float> y = session.output(0);
#ifndef BESPOKE_BESPOKE_HPP_
#define BESPOKE_BESPOKE_HPP_

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bespoke/bespoke.h"

namespace bespoke {

class Error : public std::runtime_error {
 public:
  Error(bsp_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  bsp_status status() const noexcept { return status_; }

 private:
  bsp_status status_;
};

inline void check(bsp_status status) {
  if (status != BSP_OK) throw Error(status, bsp_last_error_message());
}

inline std::string available_backends() { return bsp_available_backends(); }

struct TensorInfo {
  std::string name;
  bsp_element_type type = BSP_FLOAT32;
  std::vector<int64_t> dims;  // logical order (NCHW for images)
  size_t byte_size = 0;

  size_t element_count() const {
    size_t n = 1;
    for (int64_t d : dims) n *= static_cast<size_t>(d);
    return n;
  }
};

// How many operators of a session one backend runs.
struct BackendUsage {
  std::string backend;
  size_t operators = 0;
};

struct ProfileEntry {
  std::string name, kind, backend;
  uint32_t id = 0;
  uint64_t runs = 0, total_ns = 0, last_ns = 0;
};

class Model {
 public:
  static Model load_file(const std::string& path) {
    bsp_model* m = nullptr;
    check(bsp_model_load_file(path.c_str(), &m));
    return Model(m);
  }
  // Without `copy`, `data` must outlive the model and stay unchanged.
  static Model load_memory(const void* data, size_t size, bool copy = true) {
    bsp_model* m = nullptr;
    check(bsp_model_load_memory(data, size, copy ? 1 : 0, &m));
    return Model(m);
  }

  Model(Model&& other) noexcept : model_(std::exchange(other.model_, nullptr)) {}
  Model& operator=(Model&& other) noexcept {
    if (this != &other) {
      bsp_model_destroy(model_);
      model_ = std::exchange(other.model_, nullptr);
    }
    return *this;
  }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() { bsp_model_destroy(model_); }

  size_t input_count() const { return bsp_model_input_count(model_); }
  size_t output_count() const { return bsp_model_output_count(model_); }
  size_t block_count() const { return bsp_model_block_count(model_); }
  TensorInfo input(size_t index) const { return info(index, bsp_model_input_info); }
  TensorInfo output(size_t index) const { return info(index, bsp_model_output_info); }
  // Empty string if the key is absent.
  std::string metadata(const std::string& key) const {
    const char* value = bsp_model_metadata(model_, key.c_str());
    return value != nullptr ? value : "";
  }
  const bsp_model* get() const { return model_; }

 private:
  explicit Model(bsp_model* model) : model_(model) {}
  template <typename F>
  TensorInfo info(size_t index, F query) const {
    bsp_tensor_info raw;
    raw.struct_size = sizeof(raw);
    check(query(model_, index, &raw));
    TensorInfo t;
    t.name = raw.name != nullptr ? raw.name : "";
    t.type = raw.type;
    t.dims.assign(raw.dims, raw.dims + raw.rank);
    t.byte_size = raw.byte_size;
    return t;
  }

  bsp_model* model_ = nullptr;
};

class SessionOptions {
 public:
  SessionOptions() { bsp_session_options_init(&options_); }
  SessionOptions& backend(bsp_backend b) {
    options_.backend = b;
    return *this;
  }
  SessionOptions& threads(int n) {
    options_.num_threads = n;
    return *this;
  }
  SessionOptions& profiling(bool on) {
    options_.enable_profiling = on ? 1 : 0;
    return *this;
  }
  // A caller-owned, 64-byte aligned arena of at least Session::required_arena_size() bytes.
  SessionOptions& arena(void* data, size_t size) {
    options_.arena = data;
    options_.arena_size = size;
    return *this;
  }
  const bsp_session_options* get() const { return &options_; }

 private:
  bsp_session_options options_;
};

class Session {
 public:
  // The model must outlive the session.
  explicit Session(const Model& model, const SessionOptions& options = SessionOptions()) {
    check(bsp_session_create(model.get(), options.get(), &session_));
  }
  static size_t required_arena_size(const Model& model, const SessionOptions& options = SessionOptions()) {
    size_t bytes = 0;
    check(bsp_session_required_arena_size(model.get(), options.get(), &bytes));
    return bytes;
  }

  Session(Session&& other) noexcept : session_(std::exchange(other.session_, nullptr)) {}
  Session& operator=(Session&& other) noexcept {
    if (this != &other) {
      bsp_session_destroy(session_);
      session_ = std::exchange(other.session_, nullptr);
    }
    return *this;
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() { bsp_session_destroy(session_); }

  // The backend running most operators; backend_usage() says what runs.
  std::string backend() const { return bsp_session_backend(session_); }
  // Every backend running at least one operator, most operators first.
  std::vector<BackendUsage> backend_usage() const {
    std::vector<BackendUsage> usage(bsp_session_backend_count(session_));
    for (size_t i = 0; i < usage.size(); ++i) {
      const char* name = nullptr;
      check(bsp_session_backend_usage(session_, i, &name, &usage[i].operators));
      usage[i].backend = name;
    }
    return usage;
  }
  void set_input(size_t index, const void* data, size_t byte_size) {
    check(bsp_session_set_input(session_, index, data, byte_size));
  }
  void set_input(size_t index, const std::vector<float>& values) {
    set_input(index, values.data(), values.size() * sizeof(float));
  }
  void run() { check(bsp_session_run(session_)); }
  // Output of the last run, in logical order; valid until the next run.
  std::pair<const void*, size_t> output_data(size_t index) const {
    const void* data = nullptr;
    size_t size = 0;
    check(bsp_session_get_output(session_, index, &data, &size));
    return {data, size};
  }
  std::vector<float> output(size_t index) const {
    const auto [data, size] = output_data(index);
    const auto* f = static_cast<const float*>(data);
    return std::vector<float>(f, f + size / sizeof(float));
  }
  size_t arena_bytes() const {
    size_t arena = 0;
    check(bsp_session_memory_info(session_, &arena, nullptr));
    return arena;
  }
  size_t weights_bytes() const {
    size_t weights = 0;
    check(bsp_session_memory_info(session_, nullptr, &weights));
    return weights;
  }
  std::vector<ProfileEntry> profile(bsp_profile_level level) const {
    std::vector<ProfileEntry> entries(bsp_session_profile_count(session_, level));
    for (size_t i = 0; i < entries.size(); ++i) {
      bsp_profile_entry raw;
      raw.struct_size = sizeof(raw);
      check(bsp_session_profile_entry(session_, level, i, &raw));
      entries[i] = ProfileEntry{raw.name, raw.kind, raw.backend, raw.id, raw.runs, raw.total_ns, raw.last_ns};
    }
    return entries;
  }
  void reset_profile() { bsp_session_profile_reset(session_); }
  bsp_session* get() { return session_; }

 private:
  bsp_session* session_ = nullptr;
};

}  // namespace bespoke

#endif  // BESPOKE_BESPOKE_HPP_
