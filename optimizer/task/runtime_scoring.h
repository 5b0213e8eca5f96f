// A .bspk model scored by the task head through the inference runtime (the
// numbers a device produces): every output decoded (task_metric.h), scored
// against references, and optionally kept (the teacher's predictions become
// the references of an unlabelled split).
#pragma once

#include <cstdint>
#include <vector>

#include "data/batch_loader.h"
#include "task/task_metric.h"
#include "train/runtime_evaluation.h"

namespace bespoke::task {

struct RuntimeScoring {
  TaskScores scores;                    // empty metrics when no references were given
  std::vector<Prediction> predictions;  // when kept, in loader order
};

// Throws std::runtime_error (the runtime's message) or TaskError when the
// model's output is not the head's shape.
RuntimeScoring score_on_runtime(const TaskHead& head, const std::vector<uint8_t>& bspk, data::BatchLoader& loader,
                                const References* references, const train::RuntimeEvalOptions& options,
                                bool keep_predictions = false);

// The references of a split: its labels when it has them, else the teacher's
// predictions through the runtime.
References split_references(const TaskHead& head, const std::vector<uint8_t>& teacher_bspk, data::BatchLoader& loader,
                            const data::ImageSet& set, const std::vector<int64_t>& indices);

}  // namespace bespoke::task
