// Fine-tuning of a stitched student by knowledge distillation from the
// teacher (ARCHITECTURE.md section 1, step 4: "the winner is stitched,
// fine-tuned briefly with knowledge distillation from the teacher").
//
// Loss per batch: (1 - w) * KD(s, t) + w * label term, with s / t the
// student's / teacher's values before the output activation, the KD and
// label terms of the task head (task/task_loss.h: KL at temperature
// T = finetune.temperature for classes and CTC steps, BCE for maps; cross
// entropy, CTC or mask BCE against labels) and w = finetune.label_weight;
// without labels the loss is KD alone. Adam at
// finetune.lr, cosine (or constant) schedule over the whole run, shuffled
// training images (the first finetune.train_images of the training split,
// 0 = all), batch order seeded. Every parameter of the student trains: the
// kept teacher units as well as the replacements, so the seams adapt.
//
// The student keeps its blocks and their provenance (GraphModule::to_graph
// writes weights back into the same graph). A non-finite loss stops the run
// and is reported (ok = false, reason), never hidden.
#pragma once

#include <functional>
#include <string>

#include "config/optimizer_config.h"
#include "house/teacher_data.h"
#include "ir/graph.h"

namespace bespoke::pipeline {

struct FinetuneProgress {
  int64_t step = 0, steps = 0;
  double loss = 0.0;  // mean over the last logged steps
  double seconds = 0.0;
};

struct FinetuneResult {
  bool ok = false;
  std::string reason;  // when !ok
  ir::Graph student;   // the fine-tuned student (the input graph when epochs = 0)
  int64_t steps = 0;
  double first_loss = 0.0, last_loss = 0.0;  // mean of the first / last 20 steps
  double seconds = 0.0;
};

// `student` and `teacher`: canonical graphs with the same input and output
// shapes (what the output means: data.head). `threads`: LibTorch threads.
FinetuneResult finetune_student(const ir::Graph& student, const ir::Graph& teacher, const house::TeacherData& data,
                                const config::FinetuneConfig& settings, uint64_t seed, int threads,
                                const std::function<void(const FinetuneProgress&)>& progress);

}  // namespace bespoke::pipeline
