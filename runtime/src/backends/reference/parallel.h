// parallel_for: runs f(i) for i in [0, range) on the session's pthreadpool
// (serially on the calling thread when the pool is nullptr). No allocation:
// the callable is passed to pthreadpool by address.
#pragma once

#include <cstddef>

#include <pthreadpool.h>

namespace bespoke::rt::reference {

template <typename F>
void parallel_for(pthreadpool_t pool, size_t range, const F& f) {
  if (pool == nullptr || range <= 1) {
    for (size_t i = 0; i < range; ++i) f(i);
    return;
  }
  auto task = [](void* context, size_t i) { (*static_cast<const F*>(context))(i); };
  pthreadpool_parallelize_1d(pool, task, const_cast<void*>(static_cast<const void*>(&f)), range, 0);
}

// Like parallel_for, but hands out [begin, end) ranges of at most `tile` items,
// for loops whose items are too cheap to dispatch one by one.
template <typename F>
void parallel_for_tiles(pthreadpool_t pool, size_t range, size_t tile, const F& f) {
  if (pool == nullptr || range <= tile) {
    if (range > 0) f(size_t{0}, range);
    return;
  }
  auto task = [](void* context, size_t begin, size_t count) {
    (*static_cast<const F*>(context))(begin, begin + count);
  };
  pthreadpool_parallelize_1d_tile_1d(pool, task, const_cast<void*>(static_cast<const void*>(&f)), range, tile, 0);
}

}  // namespace bespoke::rt::reference
