// The score each alternative leaves the teacher with (the task head's metric,
// task/task_metric.h: accuracy for classifiers, line accuracy, box F1): every finished
// alternative is stitched alone into the teacher (blocks::stitch, no
// fine-tuning) and the stitched model is evaluated on a split (the test split
// by default) through the inference runtime's C API, so the numbers are the
// ones a device would produce. The teacher itself is evaluated the same way.
//
// This is the check that block-level distillation alone keeps a replacement
// usable, and the table the README reports per kind.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "data/dataset.h"
#include "house/house_store.h"
#include "ir/graph.h"

namespace bespoke::house {

struct AlternativeAccuracy {
  std::string key;
  std::string kind;
  int64_t params = 0, flops = 0;
  double rel_mse = 0.0;
  double accuracy = 0.0;  // the task score of the teacher with this alternative stitched in
};

struct HouseAccuracy {
  std::string split;
  std::string metric = "accuracy";  // the task head's metric the scores are of
  bool against_teacher = false;     // the split has no labels: agreement with the teacher
  int64_t samples = 0;
  double teacher_accuracy = 0.0;
  std::vector<AlternativeAccuracy> alternatives;  // in the store's key order
};

struct EvaluationOptions {
  data::Split split = data::Split::kTest;
  int64_t limit = 0;             // first N images of the split (0 = all)
  std::string backend = "auto";  // runtime backend
  int threads = 1;
};

// `teacher`: the teacher as loaded for the build (before assign_unit_blocks).
// `on_alternative(done, total, result)` reports progress. Throws HouseError
// for a missing or unreadable alternative file, naming it.
HouseAccuracy evaluate_house(const HouseStore& store, const config::OptimizerConfig& config, const ir::Graph& teacher,
                             const EvaluationOptions& options,
                             const std::function<void(size_t, size_t, const AlternativeAccuracy&)>& on_alternative);

}  // namespace bespoke::house
