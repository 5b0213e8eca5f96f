// Evaluation of a .bspk classifier through the inference runtime's C API
// (bespoke.h): the same numbers a device would produce. The model's input
// batch is fixed by the file; images are fed in groups of that size (a final
// short group is padded and the padding's outputs ignored). LibTorch-free.
#pragma once

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

// `bspk` is the whole model file. Throws std::runtime_error with the
// runtime's message when the model cannot be loaded or run, or does not
// look like a classifier for the loader's images.
EvalResult evaluate_runtime(const std::vector<uint8_t>& bspk, data::BatchLoader& loader,
                            const RuntimeEvalOptions& options, bool keep_predictions = false);

// The input shape [N, C, H, W] of a .bspk classifier (to build its loader).
std::vector<int64_t> runtime_input_shape(const std::vector<uint8_t>& bspk);

}  // namespace bespoke::train
