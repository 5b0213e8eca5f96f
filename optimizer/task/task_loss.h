// The task head's training losses (LibTorch), on the values before the output
// activation (task_head.h: logits_value), for fine-tuning a student:
//  * classify [N, K]: KD = T^2 * KL(softmax(t / T) || softmax(s / T)),
//    label term = cross-entropy against the classes;
//  * ctc [N, T, C]: the same KD per time step over C (mean over steps),
//    label term = CTC loss (blank = the head's) against the encoded
//    transcripts, per line averaged over target lengths, infinite losses
//    (a line longer than T allows) zeroed;
//  * dense [N, 1, H, W]: KD = binary cross-entropy of sigmoid(s) to the
//    teacher's probabilities sigmoid(t) per pixel (no temperature: a
//    probability map is not a distribution over classes), label term = BCE
//    against the ground-truth masks, rendered from the polygons shrunk as
//    DB's labels are (text_boxes.h: shrink by A (1 - r^2) / L, r = 0.4).
// Images without labels (-1 classes, no transcripts, no polygons in a
// labelled set) take no part in the label term.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "data/image_set.h"
#include "task/task_head.h"

namespace bespoke::task {

at::Tensor distillation_loss(const TaskHead& head, const at::Tensor& student_logits, const at::Tensor& teacher_logits,
                             double temperature);

// The labels of one image set, prepared once for the label term.
class LabelTargets {
 public:
  LabelTargets(const TaskHead& head, const data::ImageSet& set);
  // Whether the set has labels for this task (else the label term is absent).
  bool available() const { return available_; }
  // The label term for a batch of images `indices` (dataset indices of the
  // set, in batch order); nullopt when none of them is labelled.
  std::optional<at::Tensor> loss(const at::Tensor& student_logits, const std::vector<int64_t>& indices) const;

 private:
  const TaskHead& head_;
  const data::ImageSet& set_;
  bool available_ = false;
  std::vector<std::vector<int>> sequences_;  // ctc: encoded transcripts
};

}  // namespace bespoke::task
