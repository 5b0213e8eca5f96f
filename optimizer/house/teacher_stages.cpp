#include "house/teacher_stages.h"

namespace bespoke::house {

std::vector<Stage> teacher_stages(const blocks::BlockAnalysis& analysis) {
  std::vector<Stage> stages;
  bool open = false;  // whether the last stage may still grow
  for (size_t u = 0; u < analysis.units.size(); ++u) {
    const std::optional<ir::Shape>& out = analysis.units[u].output_shape;
    if (!out || out->size() != 4) {
      open = false;
      continue;
    }
    const int64_t h = (*out)[2], w = (*out)[3];
    if (open && stages.back().height == h && stages.back().width == w) {
      stages.back().unit_end = static_cast<int>(u) + 1;
      continue;
    }
    stages.push_back({static_cast<int>(u), static_cast<int>(u) + 1, h, w});
    open = true;
  }
  return stages;
}

std::vector<int> stage_of_units(const std::vector<Stage>& stages, size_t units) {
  std::vector<int> of(units, -1);
  for (size_t s = 0; s < stages.size(); ++s)
    for (int u = stages[s].unit_begin; u < stages[s].unit_end; ++u) of[static_cast<size_t>(u)] = static_cast<int>(s);
  return of;
}

}  // namespace bespoke::house
