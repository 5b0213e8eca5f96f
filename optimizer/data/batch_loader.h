// Batches of preprocessed images for training and evaluation. The dataset
// is never copied: an epoch is an order of the given indices (a permutation
// drawn from (seed, epoch) when shuffling), and each batch is gathered into
// one buffer that is reused from batch to batch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "data/augment.h"
#include "data/image_set.h"
#include "data/preprocess.h"

namespace bespoke::data {

struct Batch {
  int64_t size = 0;              // images in this batch (the last one may be short)
  std::vector<float> images;     // capacity batch_size * C * H * W, first size images valid, NCHW
  std::vector<int64_t> labels;   // size entries
  std::vector<int64_t> indices;  // dataset indices of the images
};

struct LoaderOptions {
  int64_t batch_size = 128;
  bool shuffle = false;
  bool drop_last = false;  // skip a final short batch (training)
  Augmentation augmentation;
  uint64_t seed = 0;
};

class BatchLoader {
 public:
  // `indices` select the images of `set` this loader serves. Throws
  // DataError for an index out of range, an empty selection, or a batch
  // size below 1.
  BatchLoader(std::shared_ptr<const ImageSet> set, std::vector<int64_t> indices, Preprocessor preprocessor,
              LoaderOptions options);

  // Starts epoch `epoch` (0-based) from its first batch.
  void start_epoch(int64_t epoch);
  // Skips to batch `batch` of the current epoch (resuming inside an epoch).
  void seek(int64_t batch);
  // The next batch of the epoch, or nullptr when the epoch is over. The
  // returned batch is overwritten by the next call.
  const Batch* next();

  int64_t batches_per_epoch() const;
  int64_t samples() const { return static_cast<int64_t>(indices_.size()); }
  const Preprocessor& preprocessor() const { return preprocessor_; }
  const ImageSet& set() const { return *set_; }
  const LoaderOptions& options() const { return options_; }

 private:
  std::shared_ptr<const ImageSet> set_;
  std::vector<int64_t> indices_;
  Preprocessor preprocessor_;
  LoaderOptions options_;
  std::vector<int64_t> order_;  // this epoch's order (positions into indices_)
  int64_t epoch_ = 0;
  int64_t position_ = 0;  // next position in order_
  Batch batch_;
  std::vector<float> scratch_;  // one preprocessed image before augmentation
};

}  // namespace bespoke::data
