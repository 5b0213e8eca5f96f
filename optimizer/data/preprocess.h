// Turns an 8-bit CHW image into the float CHW input a model wants, derived
// from the model's input shape [N, C, H, W]:
//  * size: when the model's input is at most a quarter larger than the image
//    in each dimension (28x28 -> 32x32) the image is centered and padded with
//    black; otherwise (smaller, or much larger) it is resized bilinearly
//    (half-pixel centers, no antialiasing);
//  * channels: equal counts are copied; a gray image is replicated to every
//    channel (1 -> 3 for RGB models); RGB becomes gray with the ITU-R BT.601
//    weights for a 1-channel model; anything else is refused;
//  * values: pixel / 255, then (x - mean[c]) / std[c] (one mean/std for all
//    channels, or one per model channel).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/image_set.h"

namespace bespoke::data {

struct Normalization {
  std::vector<float> mean = {0.0f};  // one value, or one per model channel
  std::vector<float> std = {1.0f};
};

struct ImageGeometry {
  int64_t channels = 1;
  int64_t height = 0;
  int64_t width = 0;

  int64_t elements() const { return channels * height * width; }
  std::string str() const;  // "1x28x28"
};

class Preprocessor {
 public:
  // Throws DataError when the channels cannot be mapped, a size is not
  // positive, or mean/std have the wrong count or a std is not positive.
  Preprocessor(const ImageGeometry& source, const ImageGeometry& target, const Normalization& normalization);
  // The model input shape must be [N, C, H, W].
  static ImageGeometry geometry_of_input(const std::vector<int64_t>& model_input_shape);

  const ImageGeometry& source() const { return source_; }
  const ImageGeometry& target() const { return target_; }
  // Writes target().elements() floats.
  void operator()(const uint8_t* image, float* out) const;
  // The normalized value of a black pixel in each target channel: what
  // padding (here and in augmentation) fills with.
  const std::vector<float>& background() const { return background_; }
  // One line for logs: "1x28x28 -> pad to 1x32x32, normalize mean 0.286 std 0.353".
  std::string describe() const;

 private:
  struct Tap {
    int32_t offset;  // within one source channel plane
    float weight;
  };

  ImageGeometry source_, target_;
  std::vector<float> scale_, shift_;  // per target channel: x / 255 * scale + shift
  std::vector<float> background_;
  std::vector<int32_t> tap_begin_;  // per target pixel (+1 sentinel) into taps_
  std::vector<Tap> taps_;
  bool resized_ = false;
};

}  // namespace bespoke::data
