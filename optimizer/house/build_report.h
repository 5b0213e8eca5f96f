// What a house build did and what it cost: wall and CPU time, peak resident
// memory, alternatives per kind (made, failed, already there) with their
// training time, and the alternatives not made, by reason.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace bespoke::house {

struct KindTally {
  int done = 0;        // trained in this run
  int failed = 0;      // failed in this run
  int already = 0;     // found finished in the house
  double seconds = 0;  // wall time of this run's alternatives of this kind
};

struct BuildReport {
  int spans = 0;
  int planned = 0;                         // alternatives of this build (this shard's part)
  std::map<std::string, KindTally> kinds;  // by kind name
  std::map<std::string, int> skips;        // not made, by reason
  double feature_seconds = 0;              // teacher features
  int64_t feature_memory_bytes = 0, feature_spilled_bytes = 0;
  double wall_seconds = 0, cpu_seconds = 0;
  int64_t peak_rss_bytes = 0;
};

// The report as a few aligned lines.
void print_report(const BuildReport& report, std::ostream& out);
nlohmann::json report_json(const BuildReport& report);

// CPU time of this process (user + system) and its peak resident set size.
double process_cpu_seconds();
int64_t peak_rss_bytes();

}  // namespace bespoke::house
