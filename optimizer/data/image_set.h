// A labelled set of 8-bit images held once in memory (CHW per image, images
// back to back). Everything downstream (splits, loaders) refers to images by
// index instead of copying them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bespoke::data {

struct ImageSet {
  std::string source;  // where it came from, for messages ("fashion-mnist train", a folder)
  int64_t channels = 1;
  int64_t height = 0;
  int64_t width = 0;
  std::vector<uint8_t> pixels;  // size() * channels * height * width
  std::vector<int32_t> labels;  // one per image, in [0, class_names.size())
  std::vector<std::string> class_names;

  int64_t size() const { return static_cast<int64_t>(labels.size()); }
  int64_t image_bytes() const { return channels * height * width; }
  int64_t num_classes() const { return static_cast<int64_t>(class_names.size()); }
  const uint8_t* image(int64_t i) const { return pixels.data() + i * image_bytes(); }
};

// Indices 0 .. n-1.
std::vector<int64_t> all_indices(int64_t n);

}  // namespace bespoke::data
