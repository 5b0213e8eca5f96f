// Steady-state runs allocate nothing: every heap allocation of the process
// (malloc and friends, hence also operator new, in our code and in the kernel
// libraries) is counted while sessions run, on every backend of this build.
// Exception: oneDNN allocates inside dnnl_primitive_execute() itself, so a
// session with oneDNN kernels (explicit, or AUTO where it routes to oneDNN)
// is reported, not failed.
// glibc only: the allocation functions are interposed and forwarded to glibc's
// __libc_* implementations.
#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "bespoke/bespoke.h"
#include "core/backend_registry.h"
#include "runtime/test_models.h"

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* p, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void __libc_free(void* p);
}

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
void count() {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

extern "C" {
void* malloc(size_t size) {
  count();
  return __libc_malloc(size);
}
void* calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t size) {
  count();
  return __libc_realloc(p, size);
}
void* memalign(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, size_t alignment, size_t size) {
  count();
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void free(void* p) { __libc_free(p); }
}

namespace bespoke::test {
namespace {

// Whether a session created with `options` runs any operator on oneDNN (read
// from the per-operator profile of an identical, profiled session).
bool runs_onednn(const bsp_model* model, bsp_session_options options) {
  options.enable_profiling = 1;
  bsp_session* probe = nullptr;
  REQUIRE(bsp_session_create(model, &options, &probe) == BSP_OK);
  bool found = false;
  for (size_t i = 0; i < bsp_session_profile_count(probe, BSP_PROFILE_OPERATORS); ++i) {
    bsp_profile_entry entry;
    entry.struct_size = sizeof(entry);
    REQUIRE(bsp_session_profile_entry(probe, BSP_PROFILE_OPERATORS, i, &entry) == BSP_OK);
    found = found || std::string(entry.backend) == "onednn";
  }
  bsp_session_destroy(probe);
  return found;
}

TEST_CASE("session runs allocate no heap memory on any backend") {
  const auto bytes = small_cnn_model(2);
  bsp_model* model = nullptr;
  REQUIRE(bsp_model_load_memory(bytes.data(), bytes.size(), 1, &model) == BSP_OK);
  std::vector<bsp_backend> backends{BSP_BACKEND_REFERENCE, BSP_BACKEND_AUTO};
  for (auto kind : rt::optimized_backends()) backends.push_back(static_cast<bsp_backend>(static_cast<int>(kind)));
  const auto x = seeded_values(192, 1, 1.0f);
  for (bsp_backend backend : backends) {
    for (int threads : {1, 2}) {
      for (int profiling : {0, 1}) {
        CAPTURE(static_cast<int>(backend));
        CAPTURE(threads);
        CAPTURE(profiling);
        bsp_session_options options;
        bsp_session_options_init(&options);
        options.backend = backend;
        options.num_threads = threads;
        options.enable_profiling = profiling;
        bsp_session* session = nullptr;
        REQUIRE(bsp_session_create(model, &options, &session) == BSP_OK);
        REQUIRE(bsp_session_set_input(session, 0, x.data(), 768) == BSP_OK);
        REQUIRE(bsp_session_run(session) == BSP_OK);  // first run may warm caches
        g_allocations = 0;
        g_counting = true;
        bool ok = true;
        for (int r = 0; r < 10; ++r) ok = ok && bsp_session_run(session) == BSP_OK;
        g_counting = false;
        CHECK(ok);
        if (runs_onednn(model, options)) {
          // oneDNN 2.x allocates inside dnnl_primitive_execute() (its argument
          // map), which no caller can avoid; reported, not failed.
          WARN_MESSAGE(g_allocations.load() == 0, "oneDNN allocated " << g_allocations.load() << " times in 10 runs");
        } else {
          CHECK(g_allocations.load() == 0);
        }
        bsp_session_destroy(session);
      }
    }
  }
  bsp_model_destroy(model);
}

}  // namespace
}  // namespace bespoke::test
