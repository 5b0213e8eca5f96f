// Evaluation of a GraphModule classifier (first input: the image batch,
// first output: logits [N, classes]) over a loader's epoch, in eval mode
// without autograd. The module's train/eval mode is restored afterwards.
#pragma once

#include "data/batch_loader.h"
#include "torch_bridge/graph_module.h"
#include "train/eval_result.h"

namespace bespoke::train {

EvalResult evaluate_torch(torchbridge::GraphModule& module, data::BatchLoader& loader, bool keep_predictions = false);

}  // namespace bespoke::train
