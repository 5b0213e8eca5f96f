#include "search/search_progress.h"

#include <cstdio>
#include <ostream>

#include "train/progress.h"

namespace bespoke::search {

SearchProgress::SearchProgress(std::ostream* log, std::string target, double seconds, std::function<int64_t()> runs)
    : log_(log), target_(std::move(target)), seconds_(seconds), runs_(std::move(runs)) {}

void SearchProgress::phase(const std::string& name) {
  phase_ = name;
  phase_start_ = last_line_ = std::chrono::steady_clock::now();
}

void SearchProgress::step(int64_t done, int64_t total, double temperature, const ScoredCandidate* best,
                          int64_t evaluations) {
  if (!log_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && std::chrono::duration<double>(now - last_line_).count() < seconds_) return;
  last_line_ = now;
  const double elapsed = std::chrono::duration<double>(now - phase_start_).count();
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : -1.0;
  char line[512];
  int n = std::snprintf(line, sizeof line, "search %s [%s] %lld/%lld", target_.c_str(), phase_.c_str(),
                        static_cast<long long>(done), static_cast<long long>(total));
  if (temperature > 0.0) n += std::snprintf(line + n, sizeof line - n, "  T %.5f", temperature);
  if (best)
    n += std::snprintf(line + n, sizeof line - n, "  best %.2f%% at %.4f ms (predicted)", 100.0 * best->score.accuracy,
                       best->prediction.ms);
  else
    n += std::snprintf(line + n, sizeof line - n, "  best: none feasible yet");
  std::snprintf(line + n, sizeof line - n, "  evaluations %lld (%lld run)  ETA %s", static_cast<long long>(evaluations),
                static_cast<long long>(runs_ ? runs_() : 0), train::format_duration(eta).c_str());
  *log_ << line << std::endl;
}

void SearchProgress::note(const std::string& text) {
  if (log_) *log_ << "search " << target_ << ": " << text << std::endl;
}

}  // namespace bespoke::search
