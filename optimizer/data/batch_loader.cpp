#include "data/batch_loader.h"

#include <string>

#include "data/data_error.h"
#include "random/seeded_random.h"

namespace bespoke::data {

BatchLoader::BatchLoader(std::shared_ptr<const ImageSet> set, std::vector<int64_t> indices, Preprocessor preprocessor,
                         LoaderOptions options)
    : set_(std::move(set)), indices_(std::move(indices)), preprocessor_(std::move(preprocessor)), options_(options) {
  if (!set_) throw DataError("batch loader: no image set");
  if (options_.batch_size < 1)
    throw DataError("batch size must be at least 1, got " + std::to_string(options_.batch_size));
  if (indices_.empty()) throw DataError("batch loader over '" + set_->source + "': no images selected");
  for (const int64_t i : indices_) {
    if (i < 0 || i >= set_->size()) {
      throw DataError("batch loader over '" + set_->source + "': index " + std::to_string(i) + " is outside 0.." +
                      std::to_string(set_->size() - 1));
    }
  }
  const ImageGeometry& source = preprocessor_.source();
  if (source.channels != set_->channels || source.height != set_->height || source.width != set_->width) {
    throw DataError("batch loader over '" + set_->source + "': the preprocessor expects " + source.str() +
                    " images, the set holds " + ImageGeometry{set_->channels, set_->height, set_->width}.str());
  }
  const auto capacity = static_cast<size_t>(options_.batch_size);
  batch_.images.resize(capacity * static_cast<size_t>(preprocessor_.target().elements()));
  batch_.labels.reserve(capacity);
  batch_.indices.reserve(capacity);
  if (options_.augmentation.enabled()) scratch_.resize(static_cast<size_t>(preprocessor_.target().elements()));
  start_epoch(0);
}

void BatchLoader::start_epoch(int64_t epoch) {
  epoch_ = epoch;
  position_ = 0;
  const uint64_t seed = random::derive_seed(options_.seed, 0x0de7, static_cast<uint64_t>(epoch));
  order_ = options_.shuffle ? random::random_permutation(samples(), seed) : all_indices(samples());
}

int64_t BatchLoader::batches_per_epoch() const {
  const int64_t full = samples() / options_.batch_size;
  return options_.drop_last || samples() % options_.batch_size == 0 ? full : full + 1;
}

void BatchLoader::seek(int64_t batch) {
  if (batch < 0 || batch > batches_per_epoch()) {
    throw DataError("batch loader: cannot seek to batch " + std::to_string(batch) + " of " +
                    std::to_string(batches_per_epoch()));
  }
  position_ = batch * options_.batch_size;
}

const Batch* BatchLoader::next() {
  const int64_t remaining = samples() - position_;
  if (remaining <= 0 || (options_.drop_last && remaining < options_.batch_size)) return nullptr;
  const int64_t count = std::min(remaining, options_.batch_size);
  const int64_t elements = preprocessor_.target().elements();
  batch_.size = count;
  batch_.labels.clear();
  batch_.indices.clear();
  for (int64_t k = 0; k < count; ++k) {
    const int64_t position = position_ + k;
    const int64_t index = indices_[static_cast<size_t>(order_[static_cast<size_t>(position)])];
    float* slot = batch_.images.data() + k * elements;
    if (options_.augmentation.enabled()) {
      preprocessor_(set_->image(index), scratch_.data());
      // Seeded by the sample's place in the epoch, not by a running stream,
      // so seek() reproduces exactly what an uninterrupted epoch draws.
      random::Random rng(random::derive_seed(random::derive_seed(options_.seed, 0xa06), static_cast<uint64_t>(epoch_),
                                             static_cast<uint64_t>(position)));
      augment_image(scratch_.data(), slot, preprocessor_.target(), preprocessor_.background(), options_.augmentation,
                    rng);
    } else {
      preprocessor_(set_->image(index), slot);
    }
    batch_.labels.push_back(set_->labels[static_cast<size_t>(index)]);
    batch_.indices.push_back(index);
  }
  position_ += count;
  return &batch_;
}

}  // namespace bespoke::data
