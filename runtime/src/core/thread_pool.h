// ThreadPool: the one pthreadpool shared by every kernel of a session
// (nullptr for a single thread: kernels then run on the calling thread).
#pragma once

#include <pthreadpool.h>
#include <unistd.h>

namespace bespoke::rt {

class ThreadPool {
 public:
  // 0 = one thread per online CPU; the result is at least 1.
  static int resolve_thread_count(int requested) {
    if (requested > 0) return requested;
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? static_cast<int>(cores) : 1;
  }

  explicit ThreadPool(int threads)
      : pool_(threads > 1 ? pthreadpool_create(static_cast<size_t>(threads)) : nullptr),
        threads_(pool_ != nullptr ? static_cast<int>(pthreadpool_get_threads_count(pool_)) : 1) {}
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool() {
    if (pool_ != nullptr) pthreadpool_destroy(pool_);
  }

  pthreadpool_t get() const { return pool_; }

  // Sends the workers to sleep now. After a parallel job pthreadpool's
  // workers busy-wait a little for the next one, which keeps back-to-back
  // kernels fast; before the cores go to another thread runtime (oneDNN's
  // OpenMP) or back to the host after a run, that spinning would only take
  // CPU time from the threads that need it. An empty job with
  // PTHREADPOOL_FLAG_YIELD_WORKERS makes them block on a futex as soon as it
  // ends; it costs one dispatch.
  void park() const {
    if (pool_ == nullptr) return;
    pthreadpool_parallelize_1d(
        pool_, [](void*, size_t) {}, nullptr, static_cast<size_t>(threads_), PTHREADPOOL_FLAG_YIELD_WORKERS);
  }

  int threads() const { return threads_; }

 private:
  pthreadpool_t pool_;
  int threads_;
};

}  // namespace bespoke::rt
