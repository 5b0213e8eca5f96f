// MemoryPlanner: assigns every intermediate buffer an offset in one arena so
// that buffers alive at the same time never overlap, reusing memory across
// lifetimes. Lifetimes are inclusive step intervals [first, last] (a step is
// one operator; its inputs and outputs are alive at that step together).
//
// Strategy: greedy by size with best fit (largest buffers first; each one
// goes into the smallest gap between the buffers already placed that are
// alive at the same time, or after the highest of them). It packs CNN
// activations close to the lower bound (the largest set of simultaneously
// live bytes). Its cost is quadratic in the buffer count, so beyond
// kGreedyLimit buffers a linear sweep over time with a best-fit free list is
// used instead: a hostile model with a million tensors must not hang the load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bespoke::rt {

class MemoryPlanner {
 public:
  static constexpr size_t kGreedyLimit = 8192;
  enum class Strategy { kAuto, kGreedyBySize, kSweep };

  // Registers a buffer of `bytes` alive during steps [first_step, last_step];
  // returns its id (0, 1, ...).
  int add(size_t bytes, int first_step, int last_step);
  // Computes the offsets (64-byte aligned).
  void plan(Strategy strategy = Strategy::kAuto);

  size_t offset(int id) const { return requests_[static_cast<size_t>(id)].offset; }
  size_t arena_bytes() const { return arena_bytes_; }
  size_t buffer_count() const { return requests_.size(); }
  // Largest sum of aligned sizes alive at one step: no plan can do better.
  size_t lower_bound() const;

 private:
  struct Request {
    size_t bytes;  // aligned to 64
    int first, last;
    size_t offset;
  };
  void plan_greedy_by_size();
  void plan_sweep();

  std::vector<Request> requests_;
  size_t arena_bytes_ = 0;
};

}  // namespace bespoke::rt
