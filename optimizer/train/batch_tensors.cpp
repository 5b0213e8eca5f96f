#include "train/batch_tensors.h"

#include <ATen/ATen.h>

namespace bespoke::train {

BatchTensors batch_tensors(const data::Batch& batch, const data::ImageGeometry& g) {
  // from_blob never writes through these pointers here; it only takes void*.
  auto* images = const_cast<float*>(batch.images.data());
  auto* labels = const_cast<int64_t*>(batch.labels.data());
  return {at::from_blob(images, {batch.size, g.channels, g.height, g.width}, at::TensorOptions().dtype(at::kFloat)),
          at::from_blob(labels, {batch.size}, at::TensorOptions().dtype(at::kLong))};
}

}  // namespace bespoke::train
