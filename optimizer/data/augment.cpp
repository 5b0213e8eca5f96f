#include "data/augment.h"

namespace bespoke::data {

void augment_image(const float* in, float* out, const ImageGeometry& g, const std::vector<float>& fill,
                   const Augmentation& augmentation, random::Random& rng) {
  const int64_t pad = augmentation.crop_padding;
  // Offset of the crop window in the padded image, minus the padding: the
  // shift applied to source coordinates.
  const int64_t dy = pad > 0 ? static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * pad + 1))) - pad : 0;
  const int64_t dx = pad > 0 ? static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * pad + 1))) - pad : 0;
  const bool flip = augmentation.horizontal_flip && rng.below(2) == 1;
  const int64_t plane = g.height * g.width;
  for (int64_t c = 0; c < g.channels; ++c) {
    const float* src = in + c * plane;
    float* dst = out + c * plane;
    const float background = fill[static_cast<size_t>(c)];
    for (int64_t y = 0; y < g.height; ++y) {
      const int64_t sy = y + dy;
      for (int64_t x = 0; x < g.width; ++x) {
        const int64_t sx = (flip ? g.width - 1 - x : x) + dx;
        const bool inside = sy >= 0 && sy < g.height && sx >= 0 && sx < g.width;
        dst[y * g.width + x] = inside ? src[sy * g.width + sx] : background;
      }
    }
  }
}

}  // namespace bespoke::data
