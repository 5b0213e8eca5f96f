// The task head: what a teacher's output means. It is the one place that
// knows it; house evaluation, the search, fine-tuning, acceptance and the
// report ask it (task_metric.h for scores, task_loss.h for training) instead
// of assuming a classifier of logits.
//
// Tasks ([teacher] task):
//  * classify - output [N, K]: class scores. Metric: top-1 accuracy against
//    the data's classes, or top-1 agreement with the teacher without them.
//  * ctc - output [N, T, C]: per time step class scores, decoded greedily
//    (collapse repeats, drop the blank). With a charset (PaddleOCR key file)
//    the classes are characters: PP-OCR uses blank = 0, the file's characters
//    at 1..n and one space class after them (use_space_char). Metric: line
//    accuracy (exact match), with the character error rate beside it,
//    against transcripts or the teacher's decoded lines.
//  * dense - output [N, 1, H, W]: a text probability map, post-processed as
//    DB does (threshold, connected regions, box score, unclip). Metric: box
//    F1 at IoU >= 0.5 against the data's polygons or the teacher's boxes,
//    with precision, recall and the mean IoU of the binarized maps beside it.
//  * auto - from the output's rank (2 classify, 3 ctc, 4 dense); the
//    decision is one line (TaskHead::decision) that the commands print.
//
// The output activation: a final Softmax (over the class axis) or Sigmoid
// is recognised. Training and distillation use the values before it (the
// logits: task_loss.h); metrics read the model's output as it is; exported
// students keep the activation, so they have the teacher's output contract.
//
// Refused with TaskError, before any work (the message names the output's
// shape): a task that does not fit the output's rank; a Softmax over
// another axis than the classes; a dense map with more than one channel; a
// charset whose class count differs from C; transcripts without a charset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "data/dataset.h"
#include "ir/graph.h"
#include "task/charset.h"

namespace bespoke::task {

enum class TaskKind { kClassify, kCtc, kDense };
enum class OutputActivation { kNone, kSoftmax, kSigmoid };

const char* task_name(TaskKind kind);  // "classify", "ctc", "dense"

// DB post-processing and box matching (PP-OCR's defaults).
struct DenseSettings {
  double threshold = 0.3;     // binary map: probability > threshold
  double box_threshold = 0.6;  // a box's mean probability
  double unclip_ratio = 1.5;
  double match_iou = 0.5;  // a predicted box matches a true one at IoU >= this
};

struct TaskHead {
  TaskKind kind = TaskKind::kClassify;
  OutputActivation activation = OutputActivation::kNone;
  std::vector<int64_t> output_shape;  // the teacher's, [1, ...]
  std::optional<Charset> charset;     // ctc with [teacher] charset
  int64_t blank = 0;                  // ctc
  DenseSettings dense;
  std::string decision;  // "task ctc (auto: output [1, 40, 6625], Softmax over axis 2)"

  // classify: K; ctc: C; dense: 1.
  int64_t classes() const;
  // The metric that drives everything ("accuracy", "line_accuracy", "box_f1").
  std::string metric_name() const;
  // What the data must carry for this task.
  data::LabelKind label_kind() const;
};

// Reads [teacher] task, charset, blank, use_space_char and db_* against the
// teacher's output (graph shapes must be known). Throws TaskError.
TaskHead resolve_task_head(const config::TeacherConfig& teacher_config, const ir::Graph& teacher);

// The value training compares in `graph` (a teacher or a student built from
// it): the input of the final activation when the graph ends with the head's
// activation, else the output itself.
int logits_value(const TaskHead& head, const ir::Graph& graph);

// Checks the data against the head before any work: class count against K,
// transcripts against the charset (naming the label file and line of the
// first bad character). Throws TaskError.
void check_task_data(const TaskHead& head, const data::Dataset& dataset);

}  // namespace bespoke::task
