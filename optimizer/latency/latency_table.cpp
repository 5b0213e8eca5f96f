#include "latency/latency_table.h"

#include <algorithm>

#include "latency/latency_error.h"

namespace bespoke::latency {

std::string Fingerprint::describe() const {
  return cpu + ", " + std::to_string(cores) + " cores, " + isa + ", runtime " + std::to_string(runtime_version) +
         ", backend " + backend + ", " + std::to_string(threads) + " thread(s)";
}

bool Fingerprint::operator==(const Fingerprint& o) const {
  return cpu == o.cpu && cores == o.cores && isa == o.isa && runtime_version == o.runtime_version &&
         backend == o.backend && threads == o.threads;
}

Prediction predict(const LatencyTable& table, const std::vector<Choice>& choices) {
  const size_t units = table.unit_ms.size();
  std::vector<bool> replaced(units, false);
  double alternatives_ms = 0.0;
  uint64_t arena = table.teacher_arena_bytes;
  int64_t weights = static_cast<int64_t>(table.teacher_weights_bytes);
  for (const Choice& c : choices) {
    const auto it = table.alternatives.find(c.key);
    if (it == table.alternatives.end())
      throw LatencyError("target " + table.target + ": alternative '" + c.key + "' is not in its latency table");
    if (c.cut_begin < 0 || c.cut_end > static_cast<int>(units) || c.cut_begin >= c.cut_end)
      throw LatencyError("alternative '" + c.key + "': span outside the teacher's units");
    for (int u = c.cut_begin; u < c.cut_end; ++u) {
      if (replaced[static_cast<size_t>(u)]) throw LatencyError("alternative '" + c.key + "' overlaps another choice");
      replaced[static_cast<size_t>(u)] = true;
      if (u < static_cast<int>(table.unit_weights_bytes.size()))
        weights -= static_cast<int64_t>(table.unit_weights_bytes[static_cast<size_t>(u)]);
    }
    alternatives_ms += it->second.ms;
    arena = std::max(arena, it->second.probe_arena_bytes);
    weights += static_cast<int64_t>(it->second.weights_bytes);
  }
  // Additive in context: the teacher's end-to-end time (session overhead
  // included, which a student keeps) minus the replaced units' in-context
  // times plus the alternatives'. Scaling instead by end-to-end / block sum
  // would shrink the per-run overhead with the work, which it does not.
  double replaced_ms = 0.0;
  for (size_t u = 0; u < units; ++u)
    if (replaced[u]) replaced_ms += table.unit_ms[u];
  Prediction p;
  p.ms = std::max(0.0, table.teacher_ms - replaced_ms + alternatives_ms);
  p.memory_bytes = arena + static_cast<uint64_t>(std::max<int64_t>(weights, 0));
  return p;
}

}  // namespace bespoke::latency
