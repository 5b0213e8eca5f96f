// Light training augmentation on preprocessed float CHW images: a random
// crop of the image padded by `crop_padding` on every side (the standard
// "pad and crop" shift), and a random horizontal flip. Draws come from the
// Random given, which the loader seeds per (seed, epoch, sample): a run is
// reproducible and resumable without storing generator state.
#pragma once

#include <cstdint>
#include <vector>

#include "data/preprocess.h"
#include "random/seeded_random.h"

namespace bespoke::data {

struct Augmentation {
  int64_t crop_padding = 0;  // 0 = no random crop
  bool horizontal_flip = false;

  bool enabled() const { return crop_padding > 0 || horizontal_flip; }
};

// Writes the augmented `in` (geometry g) to `out` (same size, not aliasing
// `in`); uncovered pixels take `fill[c]` (the normalized black).
void augment_image(const float* in, float* out, const ImageGeometry& g, const std::vector<float>& fill,
                   const Augmentation& augmentation, random::Random& rng);

}  // namespace bespoke::data
