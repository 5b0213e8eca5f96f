// Evaluation of a .bspk classifier through the inference runtime's C API
// (bespoke.h): the same numbers a device would produce. The model's input
// batch is fixed by the file; images are fed in groups of that size (a final
// short group is padded and the padding's outputs ignored). LibTorch-free.
#pragma once

#include <functional>

#include <cstdint>
#include <string>
#include <vector>

#include "data/batch_loader.h"
#include "train/eval_result.h"

namespace bespoke::train {

struct RuntimeEvalOptions {
  std::string backend = "auto";  // auto, reference, xnnpack, onednn
  int threads = 1;
};

// One group of outputs of run_runtime: `count` samples of `sample_elements`
// floats each (the model's first output, batch dimension first), for the
// samples first_sample .. first_sample + count - 1 in loader order, which are
// images batch_offset .. of `batch`. Valid during the callback only.
struct RuntimeOutputs {
  const float* values = nullptr;
  int64_t count = 0;
  int64_t sample_elements = 0;
  std::vector<int64_t> dims;  // the output's shape, dims[0] = the model's batch
  int64_t first_sample = 0;
  const data::Batch* batch = nullptr;
  int64_t batch_offset = 0;
};

// Runs the model over one epoch of `loader` and hands every group of outputs
// to `on_outputs`, whatever the output means (the task head decides,
// task/task_metric.h). Throws std::runtime_error with the runtime's message.
void run_runtime(const std::vector<uint8_t>& bspk, data::BatchLoader& loader, const RuntimeEvalOptions& options,
                 const std::function<void(const RuntimeOutputs&)>& on_outputs);

// `bspk` is the whole model file. Throws std::runtime_error with the
// runtime's message when the model cannot be loaded or run, or does not
// look like a classifier for the loader's images.
EvalResult evaluate_runtime(const std::vector<uint8_t>& bspk, data::BatchLoader& loader,
                            const RuntimeEvalOptions& options, bool keep_predictions = false);

// The input shape [N, C, H, W] of a .bspk classifier (to build its loader).
std::vector<int64_t> runtime_input_shape(const std::vector<uint8_t>& bspk);

}  // namespace bespoke::train
