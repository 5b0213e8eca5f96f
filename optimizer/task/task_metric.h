// The task head's metric: how good a model's outputs are on a split, as one
// score that everything ranks by (TaskHead::metric_name; higher is better)
// and the task's other figures beside it. LibTorch-free, so the runtime's
// outputs and LibTorch's are scored by the same code.
//
// A model output is first decoded into a Prediction (decode_output), then
// compared with the split's References, in loader order:
//  * from the data (references_from_data) when it carries the task's labels:
//    classes, transcripts (encoded with the charset), polygons (the ignored
//    "###" ones left out, scaled to the output map's size);
//  * else from the teacher's own predictions (references_from_teacher): the
//    score is then agreement with the teacher, and TaskScores says so.
//
// Scores (all fractions in [0, 1]):
//  * classify: accuracy (top-1);
//  * ctc: line_accuracy (decoded line == reference), cer (edit distance over
//    characters / reference characters; lower is better, reported beside);
//  * dense: box_f1, box_precision, box_recall (DB boxes matched one-to-one at
//    IoU >= DenseSettings::match_iou), map_iou (pixels of the binarized map
//    against the reference mask, mean over images).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/image_set.h"
#include "data/polygon.h"
#include "task/task_head.h"
#include "task/box_matching.h"
#include "task/mask_iou.h"
#include "task/text_metrics.h"

namespace bespoke::task {

struct Prediction {
  int32_t class_index = -1;          // classify
  std::vector<int> sequence;         // ctc: decoded classes (no blanks, repeats collapsed)
  std::vector<data::Polygon> boxes;  // dense: in output-map pixels
  std::vector<uint8_t> mask;         // dense: the binarized map, H x W (0 or 1)
  std::vector<bool> dont_care;       // dense references: per box, PaddleOCR's "###" (not scored)
};

// One sample's output (the model's output tensor without the batch
// dimension, as the model produces it: after its activation).
Prediction decode_output(const TaskHead& head, const float* output);

struct References {
  bool from_teacher = false;
  std::vector<Prediction> items;  // one per sample, in loader order
};

// The labels of images `indices` of `set` (in that order), or an empty
// References (items empty) when the set has no labels for this task.
References references_from_data(const TaskHead& head, const data::ImageSet& set, const std::vector<int64_t>& indices);
References references_from_teacher(std::vector<Prediction> teacher_predictions);

struct TaskScores {
  std::string metric;  // TaskHead::metric_name()
  double score = 0.0;  // the value of `metric`
  std::vector<std::pair<std::string, double>> metrics;  // every figure, `metric` first
  int64_t samples = 0;
  bool against_teacher = false;
  // A lower-is-better companion of the score, for ranking ties and tests:
  // the mean cross-entropy against the reference class (classify, when the
  // outputs were given to add()), the CER (ctc), 1 - map IoU (dense).
  double loss = 0.0;

  double get(const std::string& name) const;  // throws TaskError for an unknown name
};

// Accumulates predictions, in loader order, against fixed references.
class TaskMetric {
 public:
  TaskMetric(const TaskHead& head, const References& references);
  // The prediction of the next sample; `output` (optional) is the model's
  // output it was decoded from, for the classifier's cross-entropy. Throws
  // TaskError past the references.
  void add(const Prediction& prediction, const float* output = nullptr);
  TaskScores result() const;

 private:
  const TaskHead& head_;
  const References& references_;
  int64_t samples_ = 0;
  int64_t correct_ = 0;
  double cross_entropy_ = 0.0;  // classify, summed over the samples given with their output
  TextScore text_;  // ctc
  BoxScore boxes_;   // dense
  MaskIoU map_iou_;  // dense
};

}  // namespace bespoke::task
