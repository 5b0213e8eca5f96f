#include "core/memory_planner.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "core/aligned_buffer.h"

namespace bespoke::rt {

int MemoryPlanner::add(size_t bytes, int first_step, int last_step) {
  requests_.push_back(Request{align_up(bytes, kArenaAlignment), first_step, std::max(first_step, last_step), 0});
  return static_cast<int>(requests_.size() - 1);
}

void MemoryPlanner::plan(Strategy strategy) {
  arena_bytes_ = 0;
  if (strategy == Strategy::kAuto) {
    strategy = requests_.size() <= kGreedyLimit ? Strategy::kGreedyBySize : Strategy::kSweep;
  }
  if (strategy == Strategy::kGreedyBySize) {
    plan_greedy_by_size();
  } else {
    plan_sweep();
  }
  for (const Request& r : requests_) arena_bytes_ = std::max(arena_bytes_, r.offset + r.bytes);
}

void MemoryPlanner::plan_greedy_by_size() {
  std::vector<size_t> order(requests_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Largest first; ties by earlier start so the result is deterministic.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Request& ra = requests_[a];
    const Request& rb = requests_[b];
    return ra.bytes != rb.bytes ? ra.bytes > rb.bytes : ra.first < rb.first;
  });
  std::vector<size_t> placed;  // ids, kept sorted by offset
  placed.reserve(order.size());
  for (size_t id : order) {
    Request& r = requests_[id];
    size_t best_offset = 0, best_gap = static_cast<size_t>(-1);
    size_t cursor = 0;  // end of the previous overlapping buffer
    bool found = false;
    for (size_t other_id : placed) {
      const Request& o = requests_[other_id];
      if (o.last < r.first || o.first > r.last) continue;  // never alive together
      if (o.offset > cursor) {
        const size_t gap = o.offset - cursor;
        if (gap >= r.bytes && gap < best_gap) {
          best_gap = gap;
          best_offset = cursor;
          found = true;
        }
      }
      cursor = std::max(cursor, o.offset + o.bytes);
    }
    r.offset = found ? best_offset : cursor;
    const auto at = std::upper_bound(placed.begin(), placed.end(), r.offset,
                                     [&](size_t off, size_t other) { return off < requests_[other].offset; });
    placed.insert(at, id);
  }
}

namespace {

// Free blocks of the sweep, indexed by offset (to coalesce neighbours) and by
// size (for best fit); both O(log n).
class FreeList {
 public:
  void add(size_t offset, size_t size) {
    by_offset_.emplace(offset, size);
    by_size_.emplace(size, offset);
  }
  void remove(std::map<size_t, size_t>::iterator it) {
    by_size_.erase({it->second, it->first});
    by_offset_.erase(it);
  }
  // Frees [offset, offset + size), merged with adjacent free blocks; a block
  // reaching the top of the arena lowers the top instead.
  void release(size_t offset, size_t size, size_t* top) {
    auto next = by_offset_.lower_bound(offset);
    if (next != by_offset_.begin()) {
      auto prev = std::prev(next);
      if (prev->first + prev->second == offset) {
        offset = prev->first;
        size += prev->second;
        remove(prev);
      }
    }
    next = by_offset_.lower_bound(offset + size);
    if (next != by_offset_.end() && next->first == offset + size) {
      size += next->second;
      remove(next);
    }
    if (offset + size == *top) {
      *top = offset;  // give the tail back
    } else {
      add(offset, size);
    }
  }
  // Smallest free block of at least `size` bytes: its offset, or false.
  bool take(size_t size, size_t* offset) {
    const auto best = by_size_.lower_bound({size, 0});
    if (best == by_size_.end()) return false;
    const size_t block_size = best->first, block_offset = best->second;
    remove(by_offset_.find(block_offset));
    if (block_size > size) add(block_offset + size, block_size - size);
    *offset = block_offset;
    return true;
  }

 private:
  std::map<size_t, size_t> by_offset_;           // offset -> size
  std::set<std::pair<size_t, size_t>> by_size_;  // (size, offset)
};

}  // namespace

void MemoryPlanner::plan_sweep() {
  // In time order: at each start, free what died before it, then place the
  // buffer in the best-fitting free block or on top of the arena.
  std::vector<size_t> by_start(requests_.size());
  std::iota(by_start.begin(), by_start.end(), size_t{0});
  std::stable_sort(by_start.begin(), by_start.end(),
                   [&](size_t a, size_t b) { return requests_[a].first < requests_[b].first; });
  std::multimap<int, size_t> live_by_end;  // last step -> id
  FreeList free_list;
  size_t top = 0;
  for (size_t id : by_start) {
    Request& r = requests_[id];
    while (!live_by_end.empty() && live_by_end.begin()->first < r.first) {
      const Request& dead = requests_[live_by_end.begin()->second];
      free_list.release(dead.offset, dead.bytes, &top);
      live_by_end.erase(live_by_end.begin());
    }
    if (!free_list.take(r.bytes, &r.offset)) {
      r.offset = top;
      top += r.bytes;
    }
    live_by_end.emplace(r.last, id);
  }
}

size_t MemoryPlanner::lower_bound() const {
  // Sum of sizes per step via a difference array over the step range.
  if (requests_.empty()) return 0;
  int lo = requests_[0].first, hi = requests_[0].last;
  for (const Request& r : requests_) {
    lo = std::min(lo, r.first);
    hi = std::max(hi, r.last);
  }
  std::vector<int64_t> delta(static_cast<size_t>(hi - lo) + 2, 0);
  for (const Request& r : requests_) {
    delta[static_cast<size_t>(r.first - lo)] += static_cast<int64_t>(r.bytes);
    delta[static_cast<size_t>(r.last - lo) + 1] -= static_cast<int64_t>(r.bytes);
  }
  int64_t live = 0, peak = 0;
  for (int64_t d : delta) {
    live += d;
    peak = std::max(peak, live);
  }
  return static_cast<size_t>(peak);
}

}  // namespace bespoke::rt
