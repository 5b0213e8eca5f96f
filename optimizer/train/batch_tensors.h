// A loader batch seen as LibTorch tensors without copying (from_blob over the
// batch buffers): valid until the loader produces its next batch.
#pragma once

#include <ATen/core/Tensor.h>

#include "data/batch_loader.h"

namespace bespoke::train {

struct BatchTensors {
  at::Tensor images;  // [n, C, H, W] float
  at::Tensor labels;  // [n] int64
};

BatchTensors batch_tensors(const data::Batch& batch, const data::ImageGeometry& geometry);

}  // namespace bespoke::train
