// Progress lines of a search, at most one every `seconds` (and always the
// last one of a phase):
//   search fast [anneal] 120/300  T 0.00431  best 92.40% at 0.0712 ms (predicted)  evaluations 171 (96 run)  ETA 0:41
// ETA = elapsed / done x (total - done), over the current phase only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include "search/search_trace.h"

namespace bespoke::search {

class SearchProgress {
 public:
  // `log` may be null (silent). `runs` reports networks actually run so far.
  SearchProgress(std::ostream* log, std::string target, double seconds, std::function<int64_t()> runs);

  // Starts a phase ("alternatives alone", "anneal", "random", "measure").
  void phase(const std::string& name);
  // One step of the current phase; prints when due or when done == total.
  void step(int64_t done, int64_t total, double temperature, const ScoredCandidate* best, int64_t evaluations);
  // A free-form line ("search fast: ...").
  void note(const std::string& text);

 private:
  std::ostream* log_;
  std::string target_, phase_;
  double seconds_;
  std::function<int64_t()> runs_;
  std::chrono::steady_clock::time_point phase_start_, last_line_;
};

}  // namespace bespoke::search
