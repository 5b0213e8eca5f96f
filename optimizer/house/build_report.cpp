#include "house/build_report.h"

#include <sys/resource.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "train/progress.h"

namespace bespoke::house {

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

int64_t peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<int64_t>(u.ru_maxrss) * 1024;  // Linux: kilobytes
}

void print_report(const BuildReport& r, std::ostream& out) {
  char line[256];
  std::snprintf(line, sizeof line,
                "house build: %d spans, %d alternatives planned; wall %s, CPU %s, peak RSS %.0f MiB\n", r.spans,
                r.planned, train::format_duration(r.wall_seconds).c_str(),
                train::format_duration(r.cpu_seconds).c_str(), static_cast<double>(r.peak_rss_bytes) / (1 << 20));
  out << line;
  std::snprintf(line, sizeof line, "  teacher features: %s (%.0f MiB in memory, %.0f MiB memory-mapped)\n",
                train::format_duration(r.feature_seconds).c_str(),
                static_cast<double>(r.feature_memory_bytes) / (1 << 20),
                static_cast<double>(r.feature_spilled_bytes) / (1 << 20));
  out << line;
  for (const auto& [kind, t] : r.kinds) {
    const int made = t.done + t.failed;
    std::snprintf(line, sizeof line, "  %-10s %3d trained, %2d failed, %3d already in the house; %s (%.1f s each)\n",
                  kind.c_str(), t.done, t.failed, t.already, train::format_duration(t.seconds).c_str(),
                  made > 0 ? t.seconds / made : 0.0);
    out << line;
  }
  if (!r.skips.empty()) out << "  not made, by reason:\n";
  for (const auto& [reason, count] : r.skips) out << "    " << count << "  " << reason << "\n";
}

nlohmann::json report_json(const BuildReport& r) {
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [kind, t] : r.kinds)
    kinds[kind] = {{"trained", t.done}, {"failed", t.failed}, {"already", t.already}, {"seconds", t.seconds}};
  return {{"spans", r.spans},
          {"planned", r.planned},
          {"kinds", kinds},
          {"skips", r.skips},
          {"feature_seconds", r.feature_seconds},
          {"feature_memory_bytes", r.feature_memory_bytes},
          {"feature_spilled_bytes", r.feature_spilled_bytes},
          {"wall_seconds", r.wall_seconds},
          {"cpu_seconds", r.cpu_seconds},
          {"peak_rss_bytes", r.peak_rss_bytes}};
}

}  // namespace bespoke::house
