// The C API: loading from files and memory, tensor info, sessions, outputs,
// profiling, caller arenas, and the error contract (status + thread-local
// message, NULL handles, sizes).
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <unistd.h>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bespoke/bespoke.h"
#include "runtime/small_cnn_reference.h"
#include "runtime/test_models.h"

namespace bespoke::test {
namespace {

std::string write_temp(const std::vector<uint8_t>& bytes, const std::string& stem) {
  const auto path = std::filesystem::temp_directory_path() / (stem + "_" + std::to_string(::getpid()) + ".bspk");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

std::string last_error() { return bsp_last_error_message(); }

TEST_CASE("C API: load a file, inspect it, run it, read outputs") {
  const std::string path = write_temp(small_cnn_model(4), "c_api_good");
  bsp_model* model = nullptr;
  REQUIRE(bsp_model_load_file(path.c_str(), &model) == BSP_OK);
  CHECK(bsp_model_input_count(model) == 1);
  CHECK(bsp_model_output_count(model) == 1);
  CHECK(bsp_model_block_count(model) == 2);
  bsp_tensor_info info;
  info.struct_size = sizeof(info);
  REQUIRE(bsp_model_input_info(model, 0, &info) == BSP_OK);
  CHECK(std::string(info.name) == "x");
  CHECK(info.rank == 4);
  CHECK(info.dims[1] == 3);
  CHECK(info.byte_size == 768);
  CHECK(info.type == BSP_FLOAT32);
  REQUIRE(bsp_model_output_info(model, 0, &info) == BSP_OK);
  CHECK(std::string(info.name) == "probs");
  CHECK(bsp_model_output_info(model, 1, &info) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_model_metadata(model, "missing") == nullptr);

  bsp_session_options options;
  bsp_session_options_init(&options);
  CHECK(options.struct_size == sizeof(options));
  CHECK(options.backend == BSP_BACKEND_AUTO);
  options.enable_profiling = 1;
  bsp_session* session = nullptr;
  REQUIRE_MESSAGE(bsp_session_create(model, &options, &session) == BSP_OK, last_error());
  const std::string backend = bsp_session_backend(session);
  CHECK(std::string(bsp_available_backends()).find(backend) != std::string::npos);

  const auto x = seeded_values(192, 3, 1.0f);
  CHECK(bsp_session_run(session) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(last_error().find("has not been set") != std::string::npos);
  CHECK(bsp_session_set_input(session, 0, x.data(), 10) == BSP_ERROR_INVALID_ARGUMENT);
  REQUIRE(bsp_session_set_input(session, 0, x.data(), x.size() * 4) == BSP_OK);
  REQUIRE(bsp_session_run(session) == BSP_OK);
  REQUIRE(bsp_session_run(session) == BSP_OK);

  const void* data = nullptr;
  size_t size = 0;
  REQUIRE(bsp_session_get_output(session, 0, &data, &size) == BSP_OK);
  CHECK(size == 12);
  const auto* probs = static_cast<const float*>(data);
  // Real values: every layer before the softmax shows in them.
  const std::vector<float> expected = naive_small_cnn(x, 4);
  for (size_t i = 0; i < expected.size(); ++i) CHECK(probs[i] == doctest::Approx(expected[i]).epsilon(1e-5));
  float copy[3] = {};
  CHECK(bsp_session_copy_output(session, 0, copy, 8) == BSP_ERROR_INVALID_ARGUMENT);
  REQUIRE(bsp_session_copy_output(session, 0, copy, sizeof copy) == BSP_OK);
  CHECK(copy[2] == probs[2]);

  size_t arena = 0, weights = 0;
  REQUIRE(bsp_session_memory_info(session, &arena, &weights) == BSP_OK);
  CHECK(arena > 0);
  CHECK(weights >= (108 + 4 + 12 + 3) * 4);

  REQUIRE(bsp_session_profile_count(session, BSP_PROFILE_BLOCKS) == 2);
  REQUIRE(bsp_session_profile_count(session, BSP_PROFILE_OPERATORS) == 6);
  bsp_profile_entry entry;
  entry.struct_size = sizeof(entry);
  REQUIRE(bsp_session_profile_entry(session, BSP_PROFILE_BLOCKS, 1, &entry) == BSP_OK);
  CHECK(std::string(entry.name) == "head");
  CHECK(std::string(entry.kind) == "block");
  CHECK(entry.runs == 2);
  REQUIRE(bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, 0, &entry) == BSP_OK);
  CHECK(std::string(entry.name) == "conv");
  CHECK(std::string(entry.kind) == "CONV_2D");
  CHECK(entry.id == 0);
  CHECK(entry.runs == 2);
  CHECK(entry.total_ns >= entry.last_ns);
  CHECK(bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, 6, &entry) == BSP_ERROR_INVALID_ARGUMENT);
  bsp_session_profile_reset(session);
  REQUIRE(bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, 0, &entry) == BSP_OK);
  CHECK(entry.runs == 0);

  bsp_session_destroy(session);
  bsp_model_destroy(model);
  std::filesystem::remove(path);
}

TEST_CASE("C API: errors carry a status and a message") {
  bsp_model* model = reinterpret_cast<bsp_model*>(0x1);
  CHECK(bsp_model_load_file("/nonexistent/dir/m.bspk", &model) == BSP_ERROR_IO);
  CHECK(model == nullptr);
  CHECK(last_error().find("/nonexistent/dir/m.bspk") != std::string::npos);
  CHECK(bsp_model_load_file("/", &model) == BSP_ERROR_IO);
  CHECK(last_error().find("not a regular file") != std::string::npos);

  const std::string garbage = write_temp(std::vector<uint8_t>(100, 0xAB), "c_api_garbage");
  CHECK(bsp_model_load_file(garbage.c_str(), &model) == BSP_ERROR_INVALID_MODEL);
  CHECK(last_error().find("not a .bspk model") != std::string::npos);
  std::filesystem::remove(garbage);

  CHECK(bsp_model_load_file(nullptr, &model) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_model_load_file("x", nullptr) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_model_load_memory(nullptr, 10, 0, &model) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_session_create(nullptr, nullptr, nullptr) == BSP_ERROR_INVALID_ARGUMENT);
  bsp_session* session = nullptr;
  CHECK(bsp_session_create(nullptr, nullptr, &session) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_session_run(nullptr) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_session_set_input(nullptr, 0, nullptr, 0) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_session_memory_info(nullptr, nullptr, nullptr) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(bsp_model_input_count(nullptr) == 0);
  CHECK(bsp_session_profile_count(nullptr, BSP_PROFILE_BLOCKS) == 0);
  CHECK(std::string(bsp_session_backend(nullptr)).empty());
  bsp_model_destroy(nullptr);
  bsp_session_destroy(nullptr);
  CHECK(std::string(bsp_status_string(BSP_ERROR_INVALID_MODEL)) == "invalid model");

  // The message is per thread.
  std::string other_thread;
  std::thread([&] { other_thread = bsp_last_error_message(); }).join();
  CHECK(other_thread.empty());
  CHECK(bsp_api_version() == BSP_API_VERSION);
  CHECK(bsp_runtime_version() == BSP_RUNTIME_VERSION);
}

TEST_CASE("C API: output structs are written only up to the caller's struct_size") {
  const std::string path = write_temp(small_cnn_model(5), "c_api_struct_size");
  bsp_model* model = nullptr;
  REQUIRE(bsp_model_load_file(path.c_str(), &model) == BSP_OK);

  // A caller built against an older, shorter bsp_tensor_info (one that ended
  // before byte_size): the prefix is filled, the bytes after it stay untouched.
  constexpr unsigned char kGuard = 0xA5;
  std::vector<unsigned char> storage(sizeof(bsp_tensor_info) + 16, kGuard);
  auto* old_info = reinterpret_cast<bsp_tensor_info*>(storage.data());
  old_info->struct_size = static_cast<uint32_t>(offsetof(bsp_tensor_info, byte_size));
  REQUIRE_MESSAGE(bsp_model_input_info(model, 0, old_info) == BSP_OK, last_error());
  CHECK(old_info->struct_size == offsetof(bsp_tensor_info, byte_size));
  CHECK(std::string(old_info->name) == "x");
  CHECK(old_info->rank == 4);
  CHECK(old_info->dims[3] == 8);
  for (size_t i = offsetof(bsp_tensor_info, byte_size); i < storage.size(); ++i) {
    CAPTURE(i);
    CHECK(storage[i] == kGuard);
  }

  // A caller whose struct is larger than this library's (built against a
  // newer header): only the library's own sizeof is written.
  std::vector<unsigned char> larger(sizeof(bsp_tensor_info) + 32, kGuard);
  auto* new_info = reinterpret_cast<bsp_tensor_info*>(larger.data());
  new_info->struct_size = static_cast<uint32_t>(larger.size());
  REQUIRE(bsp_model_output_info(model, 0, new_info) == BSP_OK);
  CHECK(new_info->byte_size == 12);
  for (size_t i = sizeof(bsp_tensor_info); i < larger.size(); ++i) CHECK(larger[i] == kGuard);

  // Not set at all: refused with a message that says what to do.
  bsp_tensor_info unset{};
  CHECK(bsp_model_input_info(model, 0, &unset) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(last_error().find("bsp_tensor_info.struct_size is 0") != std::string::npos);

  bsp_session_options options;
  bsp_session_options_init(&options);
  options.enable_profiling = 1;
  options.backend = BSP_BACKEND_REFERENCE;
  bsp_session* session = nullptr;
  REQUIRE(bsp_session_create(model, &options, &session) == BSP_OK);
  std::vector<unsigned char> entry_storage(sizeof(bsp_profile_entry), kGuard);
  auto* old_entry = reinterpret_cast<bsp_profile_entry*>(entry_storage.data());
  old_entry->struct_size = static_cast<uint32_t>(offsetof(bsp_profile_entry, runs));
  REQUIRE(bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, 1, old_entry) == BSP_OK);
  CHECK(std::string(old_entry->name) == "pool");
  CHECK(std::string(old_entry->kind) == "MAX_POOL_2D");
  CHECK(std::string(old_entry->backend) == "reference");
  CHECK(old_entry->id == 1);
  for (size_t i = offsetof(bsp_profile_entry, runs); i < entry_storage.size(); ++i) CHECK(entry_storage[i] == kGuard);
  bsp_profile_entry unset_entry{};
  CHECK(bsp_session_profile_entry(session, BSP_PROFILE_OPERATORS, 1, &unset_entry) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(last_error().find("bsp_profile_entry.struct_size") != std::string::npos);

  bsp_session_destroy(session);
  bsp_model_destroy(model);
  std::filesystem::remove(path);
}

TEST_CASE("C API: every NULL that is not allowed gives INVALID_ARGUMENT and a message") {
  const std::string path = write_temp(small_cnn_model(6), "c_api_nulls");
  bsp_model* model = nullptr;
  REQUIRE(bsp_model_load_file(path.c_str(), &model) == BSP_OK);
  bsp_session* session = nullptr;
  REQUIRE(bsp_session_create(model, nullptr, &session) == BSP_OK);  // NULL options: defaults
  bsp_tensor_info info;
  info.struct_size = sizeof(info);
  bsp_profile_entry entry;
  entry.struct_size = sizeof(entry);
  const void* data = nullptr;
  size_t size = 0;
  float buffer[3] = {};
  const char* name = nullptr;

  const auto refused = [](bsp_status status) {
    const std::string message = bsp_last_error_message();
    CHECK(status == BSP_ERROR_INVALID_ARGUMENT);
    CHECK_MESSAGE(message.find("null") != std::string::npos, message);
  };
  refused(bsp_model_input_info(nullptr, 0, &info));
  refused(bsp_model_input_info(model, 0, nullptr));
  refused(bsp_model_output_info(nullptr, 0, &info));
  refused(bsp_model_output_info(model, 0, nullptr));
  refused(bsp_model_load_memory(nullptr, 4, 1, &model));
  refused(bsp_session_required_arena_size(nullptr, nullptr, &size));
  refused(bsp_session_required_arena_size(model, nullptr, nullptr));
  refused(bsp_session_create(model, nullptr, nullptr));
  refused(bsp_session_set_input(nullptr, 0, buffer, sizeof buffer));
  refused(bsp_session_set_input(session, 0, nullptr, 768));
  refused(bsp_session_run(nullptr));
  refused(bsp_session_get_output(nullptr, 0, &data, &size));
  refused(bsp_session_get_output(session, 0, nullptr, &size));
  refused(bsp_session_get_output(session, 0, &data, nullptr));
  refused(bsp_session_copy_output(nullptr, 0, buffer, sizeof buffer));
  refused(bsp_session_copy_output(session, 0, nullptr, sizeof buffer));
  refused(bsp_session_memory_info(nullptr, &size, &size));
  refused(bsp_session_profile_entry(nullptr, BSP_PROFILE_BLOCKS, 0, &entry));
  refused(bsp_session_profile_entry(session, BSP_PROFILE_BLOCKS, 0, nullptr));
  refused(bsp_session_backend_usage(nullptr, 0, &name, &size));

  // The NULLs the header allows.
  CHECK(bsp_session_memory_info(session, nullptr, nullptr) == BSP_OK);
  CHECK(bsp_session_backend_usage(session, 0, nullptr, nullptr) == BSP_OK);
  CHECK(bsp_model_metadata(model, nullptr) == nullptr);
  CHECK(bsp_model_metadata(nullptr, "key") == nullptr);
  CHECK(bsp_session_backend_count(nullptr) == 0);
  bsp_session_options_init(nullptr);
  bsp_session_profile_reset(nullptr);

  bsp_session_destroy(session);
  bsp_model_destroy(model);
  std::filesystem::remove(path);
}

// x [2,3,4] -> BATCH_MATMUL with a constant [2,4,5] -> RELU -> SIGMOID: XNNPACK
// has no batched matrix product, so an XNNPACK session runs it on the
// reference backend.
std::vector<uint8_t> matmul_then_activations_model() {
  ModelBuilder b;
  const int x = b.add_input("x", {2, 3, 4});
  const int w = b.add_constant("w", {2, 4, 5}, seeded_values(40, 3));
  const int m = b.add_tensor("m", {2, 3, 5});
  b.add_op(fb::OpCode::BATCH_MATMUL, {x, w}, {m}, fb::OperatorOptions::NONE, 0, "matmul");
  const int r = b.add_tensor("r", {2, 3, 5});
  b.add_op(fb::OpCode::RELU, {m}, {r}, fb::OperatorOptions::NONE, 0, "relu");
  const int y = b.add_tensor("y", {2, 3, 5});
  b.add_op(fb::OpCode::SIGMOID, {r}, {y}, fb::OperatorOptions::NONE, 0, "sigmoid");
  b.mark_output(y);
  return b.finish();
}

TEST_CASE("C API: a session says which backends run how many operators") {
  const std::string available = bsp_available_backends();
  const bool has_xnnpack = available.find("xnnpack") != std::string::npos;
  const std::string path = write_temp(matmul_then_activations_model(), "c_api_usage");
  bsp_model* model = nullptr;
  REQUIRE_MESSAGE(bsp_model_load_file(path.c_str(), &model) == BSP_OK, last_error());
  bsp_session_options options;
  bsp_session_options_init(&options);
  options.backend = has_xnnpack ? BSP_BACKEND_XNNPACK : BSP_BACKEND_REFERENCE;
  bsp_session* session = nullptr;
  REQUIRE_MESSAGE(bsp_session_create(model, &options, &session) == BSP_OK, last_error());

  std::vector<std::pair<std::string, size_t>> usage;
  for (size_t i = 0; i < bsp_session_backend_count(session); ++i) {
    const char* name = nullptr;
    size_t operators = 0;
    REQUIRE(bsp_session_backend_usage(session, i, &name, &operators) == BSP_OK);
    usage.emplace_back(name, operators);
  }
  if (has_xnnpack) {
    REQUIRE(usage.size() == 2);
    CHECK(usage[0] == std::make_pair(std::string("xnnpack"), size_t{2}));
    CHECK(usage[1] == std::make_pair(std::string("reference"), size_t{1}));
  } else {
    REQUIRE(usage.size() == 1);
    CHECK(usage[0] == std::make_pair(std::string("reference"), size_t{3}));
  }
  CHECK(std::string(bsp_session_backend(session)) == usage[0].first);
  CHECK(bsp_session_backend_usage(session, usage.size(), nullptr, nullptr) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(last_error().find("out of range") != std::string::npos);

  bsp_session_destroy(session);
  bsp_model_destroy(model);
  std::filesystem::remove(path);
}

TEST_CASE("C API: memory models, option validation and caller arenas") {
  const auto bytes = small_cnn_model(9);
  // Misaligned caller memory is copied, so it need not stay valid.
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::copy(bytes.begin(), bytes.end(), shifted.begin() + 1);
  bsp_model* model = nullptr;
  REQUIRE_MESSAGE(bsp_model_load_memory(shifted.data() + 1, bytes.size(), 0, &model) == BSP_OK, last_error());
  std::fill(shifted.begin(), shifted.end(), 0);

  bsp_session_options options;
  bsp_session_options_init(&options);
  options.backend = static_cast<bsp_backend>(17);
  bsp_session* session = nullptr;
  CHECK(bsp_session_create(model, &options, &session) == BSP_ERROR_INVALID_ARGUMENT);
  bsp_session_options zeroed{};
  CHECK(bsp_session_create(model, &zeroed, &session) == BSP_ERROR_INVALID_ARGUMENT);
  CHECK(last_error().find("bsp_session_options_init") != std::string::npos);

  bsp_session_options_init(&options);
  options.backend = BSP_BACKEND_REFERENCE;
  size_t need = 0;
  REQUIRE(bsp_session_required_arena_size(model, &options, &need) == BSP_OK);
  AlignedBytes arena(std::vector<uint8_t>(need + 64, 0));
  options.arena = arena.data() + 4;  // misaligned
  options.arena_size = need;
  CHECK(bsp_session_create(model, &options, &session) == BSP_ERROR_INVALID_ARGUMENT);
  options.arena = arena.data();
  REQUIRE(bsp_session_create(model, &options, &session) == BSP_OK);
  CHECK(bsp_session_profile_count(session, BSP_PROFILE_OPERATORS) == 0);  // profiling off
  const auto x = seeded_values(192, 1, 1.0f);
  REQUIRE(bsp_session_set_input(session, 0, x.data(), 768) == BSP_OK);
  REQUIRE(bsp_session_run(session) == BSP_OK);
  size_t arena_bytes = 0;
  REQUIRE(bsp_session_memory_info(session, &arena_bytes, nullptr) == BSP_OK);
  CHECK(arena_bytes == need);

  // AUTO's requirement is the plan AUTO builds, with one thread (operators
  // routed per backend) and with two (one optimized backend).
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    bsp_session_options_init(&options);
    options.num_threads = threads;
    REQUIRE(bsp_session_required_arena_size(model, &options, &need) == BSP_OK);
    AlignedBytes auto_arena(std::vector<uint8_t>(need, 0));
    options.arena = auto_arena.data();
    options.arena_size = need;
    bsp_session* auto_session = nullptr;
    REQUIRE_MESSAGE(bsp_session_create(model, &options, &auto_session) == BSP_OK, last_error());
    size_t auto_arena_bytes = 0;
    REQUIRE(bsp_session_memory_info(auto_session, &auto_arena_bytes, nullptr) == BSP_OK);
    CHECK(auto_arena_bytes == need);
    bsp_session_destroy(auto_session);
  }

  bsp_session_destroy(session);
  bsp_model_destroy(model);
}

}  // namespace

TEST_CASE("C API: every symbol carries the ABI version, like the soname") {
  // The version script (runtime/bespoke.map.in) names BESPOKE_<BSP_API_VERSION>.
  const std::string version = "BESPOKE_" + std::to_string(BSP_API_VERSION);
  for (const char* symbol : {"bsp_api_version", "bsp_model_load_file", "bsp_session_run", "bsp_last_error_message"}) {
    CAPTURE(symbol);
    CHECK(dlvsym(RTLD_DEFAULT, symbol, version.c_str()) != nullptr);
    CHECK(dlvsym(RTLD_DEFAULT, symbol, "BESPOKE_1") == nullptr);
  }
  CHECK(bsp_api_version() == BSP_API_VERSION);
}

}  // namespace bespoke::test
