// The C API (bespoke.h) over LoadedModel and Session. Every entry point
// validates its handles, converts Status to bsp_status plus a thread-local
// message, and (in builds with exceptions) lets no exception escape.
#include <cstddef>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include "bespoke/bespoke.h"
#include "core/model_loader.h"
#include "core/op_traits.h"
#include "core/session.h"

#if defined(__cpp_exceptions)
#include <exception>
#endif

struct bsp_model {
  std::unique_ptr<bespoke::rt::LoadedModel> loaded;
};

struct bsp_session {
  std::unique_ptr<bespoke::rt::Session> session;
};

namespace {

using bespoke::rt::Status;
using bespoke::rt::StatusCode;

thread_local std::string t_last_error;

bsp_status to_c(StatusCode code) { return static_cast<bsp_status>(static_cast<int>(code)); }

bsp_status report(const Status& status) {
  if (!status.ok()) t_last_error = status.message();
  return to_c(status.code());
}

bsp_status invalid(const char* message) { return report(bespoke::rt::InvalidArgument(message)); }

template <typename T>
T on_exception(T fallback, const Status& status) {
  const bsp_status code = report(status);
  if constexpr (std::is_same_v<T, bsp_status>) {
    (void)fallback;
    return code;
  } else {
    return fallback;
  }
}

// Runs `body`; an escaping exception becomes an error status (or `fallback`
// for functions that return a value rather than a status).
template <typename T, typename F>
T guarded(T fallback, F&& body) {
#if defined(__cpp_exceptions)
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return on_exception(fallback, bespoke::rt::OutOfMemory("out of memory"));
  } catch (const std::exception& e) {
    return on_exception(fallback, bespoke::rt::Internal(std::string("internal error: ") + e.what()));
  } catch (...) {
    return on_exception(fallback, bespoke::rt::Internal("internal error: unknown exception"));
  }
#else
  (void)fallback;
  return body();
#endif
}

template <typename F>
bsp_status guarded_status(F&& body) {
  return guarded<bsp_status>(BSP_ERROR_INTERNAL, static_cast<F&&>(body));
}

const char* c_string(std::string_view s) { return s.data() != nullptr ? s.data() : ""; }

// Output structs that may grow (bsp_tensor_info, bsp_profile_entry): the
// caller's struct_size says how long its struct is; only that prefix is
// written, so a caller built against an older, shorter struct keeps working.
template <typename Struct>
bsp_status check_struct_size(const Struct* out, const char* what) {
  if (out->struct_size < sizeof(uint32_t)) {
    return report(bespoke::rt::InvalidArgument(std::string(what) + ".struct_size is " +
                                               std::to_string(out->struct_size) + "; set it to sizeof(" + what +
                                               ") before the call"));
  }
  return BSP_OK;
}

template <typename Struct>
void write_prefix(const Struct& full, Struct* out) {
  const uint32_t caller_size = out->struct_size;
  std::memcpy(reinterpret_cast<unsigned char*>(out) + sizeof(uint32_t),
              reinterpret_cast<const unsigned char*>(&full) + sizeof(uint32_t),
              (caller_size < sizeof(Struct) ? caller_size : sizeof(Struct)) - sizeof(uint32_t));
}
static_assert(offsetof(bsp_tensor_info, struct_size) == 0 && offsetof(bsp_profile_entry, struct_size) == 0,
              "struct_size must stay the first member");

void fill_info(const bespoke::rt::TensorInfo& t, bsp_tensor_info* out) {
  bsp_tensor_info info;
  std::memset(&info, 0, sizeof(info));
  info.name = c_string(t.name);  // flatbuffers strings are NUL-terminated
  info.type = static_cast<bsp_element_type>(static_cast<int>(t.type));
  info.rank = t.rank;
  for (int i = 0; i < t.rank; ++i) info.dims[i] = t.dim(i);
  info.byte_size = t.byte_size;
  write_prefix(info, out);
}

bsp_status tensor_info(const bsp_model* model, size_t index, bsp_tensor_info* info, bool input) {
  if (model == nullptr || info == nullptr) return invalid("model or info is null");
  const bsp_status size_status = check_struct_size(info, "bsp_tensor_info");
  if (size_status != BSP_OK) return size_status;
  const auto& view = model->loaded->view();
  const auto& list = input ? view.inputs() : view.outputs();
  if (index >= list.size()) {
    return report(bespoke::rt::InvalidArgument(std::string(input ? "input" : "output") + " index " +
                                               std::to_string(index) + " is out of range (" +
                                               std::to_string(list.size()) + ")"));
  }
  fill_info(view.tensor(list[index]), info);
  return BSP_OK;
}

// Reads the caller's options: the first struct_size bytes over the defaults,
// so callers compiled against an older, shorter struct keep working.
bsp_status read_options(const bsp_session_options* in, bespoke::rt::SessionOptions* out) {
  bsp_session_options o;
  bsp_session_options_init(&o);
  if (in != nullptr) {
    if (in->struct_size < offsetof(bsp_session_options, num_threads)) {
      return invalid("session options were not initialized with bsp_session_options_init()");
    }
    std::memcpy(&o, in, in->struct_size < sizeof(o) ? in->struct_size : sizeof(o));
  }
  if (o.backend < BSP_BACKEND_AUTO || o.backend > BSP_BACKEND_ONEDNN) {
    return invalid("unknown backend in the session options");
  }
  out->backend = static_cast<bespoke::rt::BackendKind>(static_cast<int>(o.backend));
  out->num_threads = o.num_threads;
  out->profiling = o.enable_profiling != 0;
  out->arena = o.arena;
  out->arena_size = o.arena_size;
  return BSP_OK;
}

}  // namespace

extern "C" {

uint32_t bsp_api_version(void) { return BSP_API_VERSION; }
uint32_t bsp_runtime_version(void) { return BSP_RUNTIME_VERSION; }
const char* bsp_last_error_message(void) { return t_last_error.c_str(); }

const char* bsp_status_string(bsp_status status) {
  switch (status) {
    case BSP_OK: return "ok";
    case BSP_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case BSP_ERROR_IO: return "I/O error";
    case BSP_ERROR_INVALID_MODEL: return "invalid model";
    case BSP_ERROR_UNSUPPORTED: return "unsupported";
    case BSP_ERROR_OUT_OF_MEMORY: return "out of memory";
    case BSP_ERROR_BACKEND: return "backend error";
    case BSP_ERROR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

const char* bsp_available_backends(void) {
  return guarded<const char*>("", [] { return bespoke::rt::available_backends(); });
}

bsp_status bsp_model_load_file(const char* path, bsp_model** model) {
  return guarded_status([&] {
    if (model == nullptr) return invalid("the model output pointer is null");
    *model = nullptr;
    if (path == nullptr) return invalid("the model path is null");
    auto handle = std::unique_ptr<bsp_model>(new (std::nothrow) bsp_model());
    if (!handle) return report(bespoke::rt::OutOfMemory("cannot allocate the model handle"));
    const Status s = bespoke::rt::LoadedModel::from_file(path, &handle->loaded);
    if (!s.ok()) {
      // I/O messages already name the file.
      return report(s.code() == StatusCode::kIoError ? s : Status(s.code(), std::string(path) + ": " + s.message()));
    }
    *model = handle.release();
    return BSP_OK;
  });
}

bsp_status bsp_model_load_memory(const void* data, size_t size, int copy, bsp_model** model) {
  return guarded_status([&] {
    if (model == nullptr) return invalid("the model output pointer is null");
    *model = nullptr;
    if (data == nullptr) return invalid("the model data is null");
    auto handle = std::unique_ptr<bsp_model>(new (std::nothrow) bsp_model());
    if (!handle) return report(bespoke::rt::OutOfMemory("cannot allocate the model handle"));
    const Status s = bespoke::rt::LoadedModel::from_memory(data, size, copy != 0, &handle->loaded);
    if (!s.ok()) return report(s);
    *model = handle.release();
    return BSP_OK;
  });
}

void bsp_model_destroy(bsp_model* model) { delete model; }

size_t bsp_model_input_count(const bsp_model* model) {
  return model != nullptr ? model->loaded->view().inputs().size() : 0;
}
size_t bsp_model_output_count(const bsp_model* model) {
  return model != nullptr ? model->loaded->view().outputs().size() : 0;
}
bsp_status bsp_model_input_info(const bsp_model* model, size_t index, bsp_tensor_info* info) {
  return guarded_status([&] { return tensor_info(model, index, info, true); });
}
bsp_status bsp_model_output_info(const bsp_model* model, size_t index, bsp_tensor_info* info) {
  return guarded_status([&] { return tensor_info(model, index, info, false); });
}
size_t bsp_model_block_count(const bsp_model* model) {
  return model != nullptr ? model->loaded->view().blocks().size() : 0;
}
const char* bsp_model_metadata(const bsp_model* model, const char* key) {
  return model != nullptr ? model->loaded->metadata(key) : nullptr;
}

void bsp_session_options_init(bsp_session_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof(*options));
  options->struct_size = sizeof(*options);
  options->backend = BSP_BACKEND_AUTO;
  options->num_threads = 1;
}

bsp_status bsp_session_required_arena_size(const bsp_model* model, const bsp_session_options* options, size_t* bytes) {
  return guarded_status([&] {
    if (model == nullptr || bytes == nullptr) return invalid("model or bytes is null");
    bespoke::rt::SessionOptions o;
    const bsp_status st = read_options(options, &o);
    if (st != BSP_OK) return st;
    return report(bespoke::rt::Session::required_arena_bytes(model->loaded->view(), o, bytes));
  });
}

bsp_status bsp_session_create(const bsp_model* model, const bsp_session_options* options, bsp_session** session) {
  return guarded_status([&] {
    if (session == nullptr) return invalid("the session output pointer is null");
    *session = nullptr;
    if (model == nullptr) return invalid("the model is null");
    bespoke::rt::SessionOptions o;
    const bsp_status st = read_options(options, &o);
    if (st != BSP_OK) return st;
    auto handle = std::unique_ptr<bsp_session>(new (std::nothrow) bsp_session());
    if (!handle) return report(bespoke::rt::OutOfMemory("cannot allocate the session handle"));
    const Status s = bespoke::rt::Session::create(model->loaded->view(), o, &handle->session);
    if (!s.ok()) return report(s);
    *session = handle.release();
    return BSP_OK;
  });
}

void bsp_session_destroy(bsp_session* session) { delete session; }

const char* bsp_session_backend(const bsp_session* session) {
  return session != nullptr ? session->session->backend_name() : "";
}

size_t bsp_session_backend_count(const bsp_session* session) {
  return session != nullptr ? session->session->backend_usage().size() : 0;
}

bsp_status bsp_session_backend_usage(const bsp_session* session, size_t index, const char** name, size_t* operators) {
  if (session == nullptr) return invalid("the session is null");
  const auto& usage = session->session->backend_usage();
  if (index >= usage.size()) {
    return report(bespoke::rt::InvalidArgument("backend index " + std::to_string(index) + " is out of range (" +
                                               std::to_string(usage.size()) + " backends)"));
  }
  if (name != nullptr) *name = usage[index].name;
  if (operators != nullptr) *operators = usage[index].operators;
  return BSP_OK;
}

bsp_status bsp_session_set_input(bsp_session* session, size_t index, const void* data, size_t byte_size) {
  return guarded_status([&] {
    if (session == nullptr) return invalid("the session is null");
    return report(session->session->set_input(index, data, byte_size));
  });
}

bsp_status bsp_session_run(bsp_session* session) {
  return guarded_status([&] {
    if (session == nullptr) return invalid("the session is null");
    return report(session->session->run());
  });
}

bsp_status bsp_session_get_output(const bsp_session* session, size_t index, const void** data, size_t* byte_size) {
  return guarded_status([&] {
    if (session == nullptr || data == nullptr || byte_size == nullptr) {
      return invalid("session, data or byte_size is null");
    }
    return report(session->session->output(index, data, byte_size));
  });
}

bsp_status bsp_session_copy_output(const bsp_session* session, size_t index, void* data, size_t byte_size) {
  return guarded_status([&] {
    if (session == nullptr || data == nullptr) return invalid("session or data is null");
    const void* src = nullptr;
    size_t size = 0;
    const Status s = session->session->output(index, &src, &size);
    if (!s.ok()) return report(s);
    if (byte_size != size) {
      return report(bespoke::rt::InvalidArgument("output " + std::to_string(index) + " has " + std::to_string(size) +
                                                 " bytes; the destination has " + std::to_string(byte_size)));
    }
    std::memcpy(data, src, size);
    return BSP_OK;
  });
}

bsp_status bsp_session_memory_info(const bsp_session* session, size_t* arena_bytes, size_t* weights_bytes) {
  if (session == nullptr) return invalid("the session is null");
  if (arena_bytes != nullptr) *arena_bytes = session->session->arena_bytes();
  if (weights_bytes != nullptr) *weights_bytes = session->session->weights_bytes();
  return BSP_OK;
}

size_t bsp_session_profile_count(const bsp_session* session, bsp_profile_level level) {
  if (session == nullptr || !session->session->profiling()) return 0;
  switch (level) {
    case BSP_PROFILE_BLOCKS: return session->session->block_profile().size();
    case BSP_PROFILE_OPERATORS: return session->session->op_profile().size();
  }
  return 0;
}

bsp_status bsp_session_profile_entry(const bsp_session* session, bsp_profile_level level, size_t index,
                                     bsp_profile_entry* entry) {
  return guarded_status([&] {
    if (session == nullptr || entry == nullptr) return invalid("session or entry is null");
    const bsp_status size_status = check_struct_size(entry, "bsp_profile_entry");
    if (size_status != BSP_OK) return size_status;
    const size_t count = bsp_session_profile_count(session, level);
    if (index >= count) {
      return report(bespoke::rt::InvalidArgument("profile index " + std::to_string(index) + " is out of range (" +
                                                 std::to_string(count) + " entries; profiling is " +
                                                 (session->session->profiling() ? "on)" : "off)")));
    }
    const auto& s = *session->session;
    const auto& model = s.model();
    const bespoke::rt::ProfileCounter* counter = nullptr;
    bsp_profile_entry full;
    std::memset(&full, 0, sizeof(full));
    if (level == BSP_PROFILE_BLOCKS) {
      const auto& block = model.blocks()[index];
      full.name = c_string(block.name);
      full.kind = "block";
      full.backend = s.block_backend_name(index);
      full.id = block.id;
      counter = &s.block_profile()[index];
    } else {
      const auto& op = model.op(static_cast<int>(index));
      full.name = c_string(op.name);
      full.kind = bespoke::rt::op_name(op.opcode);
      full.backend = s.op_backend_name(static_cast<int>(index));
      full.id = static_cast<uint32_t>(index);
      counter = &s.op_profile()[index];
    }
    full.runs = counter->runs;
    full.total_ns = counter->total_ns;
    full.last_ns = counter->last_ns;
    write_prefix(full, entry);
    return BSP_OK;
  });
}

void bsp_session_profile_reset(bsp_session* session) {
  if (session != nullptr) session->session->reset_profile();
}

}  // extern "C"
