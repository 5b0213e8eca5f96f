// MemoryPlanner: buffers alive at the same step never overlap, memory is
// reused across lifetimes, offsets are 64-byte aligned; both strategies.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "core/memory_planner.h"

namespace bespoke::rt {
namespace {

struct Interval {
  size_t bytes;
  int first, last;
};

void check_plan(const MemoryPlanner& planner, const std::vector<Interval>& in) {
  for (size_t i = 0; i < in.size(); ++i) {
    const size_t oi = planner.offset(static_cast<int>(i));
    CHECK(oi % 64 == 0);
    CHECK(oi + in[i].bytes <= planner.arena_bytes());
    for (size_t j = i + 1; j < in.size(); ++j) {
      const bool live_together = !(in[i].last < in[j].first || in[j].last < in[i].first);
      if (!live_together) continue;
      const size_t oj = planner.offset(static_cast<int>(j));
      const bool disjoint = oi + in[i].bytes <= oj || oj + in[j].bytes <= oi;
      CHECK_MESSAGE(disjoint, "buffers " << i << " and " << j << " overlap");
    }
  }
}

std::vector<Interval> random_intervals(uint32_t seed, size_t n, int steps) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> step(0, steps - 1), length(0, 6);
  std::uniform_int_distribution<size_t> bytes(1, 100000);
  std::vector<Interval> v;
  for (size_t i = 0; i < n; ++i) {
    const int first = step(rng);
    v.push_back({bytes(rng), first, first + length(rng)});
  }
  return v;
}

TEST_CASE("memory planner: a chain reuses memory (ping-pong)") {
  // t0 -> op0 -> t1 -> op1 -> t2 -> op2 -> t3: each tensor lives [producer, consumer].
  MemoryPlanner planner;
  for (int i = 0; i < 4; ++i) planner.add(1000, i, i + 1);
  planner.plan();
  // Two buffers alive at a time: 2 x 1024 bytes (1000 rounded up to 64).
  CHECK(planner.arena_bytes() == 2 * 1024);
  CHECK(planner.offset(0) == planner.offset(2));
  CHECK(planner.lower_bound() == 2 * 1024);
}

TEST_CASE("memory planner: no overlap and real reuse on random lifetimes, both strategies") {
  for (auto strategy : {MemoryPlanner::Strategy::kGreedyBySize, MemoryPlanner::Strategy::kSweep}) {
    for (uint32_t seed = 1; seed <= 5; ++seed) {
      const auto intervals = random_intervals(seed, 300, 100);
      MemoryPlanner planner;
      size_t total = 0;
      for (const auto& in : intervals) {
        planner.add(in.bytes, in.first, in.last);
        total += (in.bytes + 63) / 64 * 64;
      }
      planner.plan(strategy);
      check_plan(planner, intervals);
      CHECK(planner.arena_bytes() >= planner.lower_bound());
      CHECK(planner.arena_bytes() < total / 2);  // far less than one buffer each
    }
  }
}

TEST_CASE("memory planner: greedy by size is close to the lower bound") {
  const auto intervals = random_intervals(42, 500, 200);
  MemoryPlanner planner;
  for (const auto& in : intervals) planner.add(in.bytes, in.first, in.last);
  planner.plan(MemoryPlanner::Strategy::kGreedyBySize);
  CHECK(static_cast<double>(planner.arena_bytes()) <= 1.5 * static_cast<double>(planner.lower_bound()));
}

TEST_CASE("memory planner: many buffers use the linear sweep quickly") {
  MemoryPlanner planner;
  const int n = 200000;
  for (int i = 0; i < n; ++i) planner.add(64 + static_cast<size_t>(i % 7) * 64, i, i + 1 + i % 3);
  planner.plan();  // kAuto -> sweep beyond kGreedyLimit
  CHECK(planner.arena_bytes() >= planner.lower_bound());
  CHECK(planner.arena_bytes() <= 4 * planner.lower_bound());
}

TEST_CASE("memory planner: empty and zero-size") {
  MemoryPlanner planner;
  planner.plan();
  CHECK(planner.arena_bytes() == 0);
  planner.add(0, 0, 0);
  planner.plan();
  CHECK(planner.offset(0) == 0);
}

}  // namespace
}  // namespace bespoke::rt
