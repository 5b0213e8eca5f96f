#include "train/torch_evaluation.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <stdexcept>

#include "train/batch_tensors.h"

namespace bespoke::train {

EvalResult evaluate_torch(torchbridge::GraphModule& module, data::BatchLoader& loader, bool keep_predictions) {
  const bool was_training = module.is_training();
  module.eval();
  at::NoGradGuard no_grad;
  EvalResult result;
  loader.start_epoch(0);
  while (const data::Batch* batch = loader.next()) {
    const BatchTensors t = batch_tensors(*batch, loader.preprocessor().target());
    const at::Tensor logits = module.forward({t.images})[0].contiguous();
    if (logits.dim() != 2 || logits.size(0) != batch->size) {
      module.train(was_training);
      throw std::runtime_error("evaluation: the model's output is not [batch, classes] logits");
    }
    const int64_t classes = logits.size(1);
    const float* rows = logits.data_ptr<float>();
    for (int64_t i = 0; i < batch->size; ++i) {
      const int64_t label = batch->labels[static_cast<size_t>(i)];
      if (label >= classes) {
        module.train(was_training);
        throw std::runtime_error("evaluation: label " + std::to_string(label) + " but the model has " +
                                 std::to_string(classes) + " outputs");
      }
      int32_t predicted = 0;
      result.loss_sum += cross_entropy(rows + i * classes, classes, label, &predicted);
      result.correct += predicted == label;
      if (keep_predictions) {
        result.predictions.push_back(predicted);
        result.labels.push_back(static_cast<int32_t>(label));
      }
    }
    result.samples += batch->size;
  }
  module.train(was_training);
  return result;
}

}  // namespace bespoke::train
