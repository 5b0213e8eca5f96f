// A set of 8-bit images held once in memory (CHW per image, images back to
// back) with what is known about each image. Everything downstream (splits,
// loaders) refers to images by index instead of copying them.
//
// Per image (the vectors are either empty or sized like the images):
//  * labels: always sized like the images (size() is labels.size()): the
//    class index in [0, class_names.size()), or -1 when the data has no class
//    labels (text recognition or detection data, a folder of images without
//    class folders);
//  * transcripts: the text of each image (recognition label files);
//  * regions / ignored: the text polygons of each image and, per polygon,
//    whether it is marked "do not care" (detection label files). Polygons are
//    in this set's pixel coordinates: scaled like the image (for a stretched
//    image x * width / file width, y * height / file height) and clamped to
//    the image;
//  * origins: where each image came from, for messages: "<label file>:<line>"
//    for a labelled line, else the image file's path. Empty for sets read
//    from IDX files or built in memory; origin(i) always answers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/polygon.h"

namespace bespoke::data {

struct ImageSet {
  std::string source;  // where it came from, for messages ("fashion-mnist train", a folder, a label file)
  int64_t channels = 1;
  int64_t height = 0;
  int64_t width = 0;
  std::vector<uint8_t> pixels;  // size() * channels * height * width
  std::vector<int32_t> labels;  // one per image: class index, or -1 without class labels
  std::vector<std::string> class_names;
  std::vector<std::string> transcripts;
  std::vector<std::vector<Polygon>> regions;
  std::vector<std::vector<bool>> ignored;  // same shape as regions
  std::vector<std::string> origins;

  int64_t size() const { return static_cast<int64_t>(labels.size()); }
  int64_t image_bytes() const { return channels * height * width; }
  int64_t num_classes() const { return static_cast<int64_t>(class_names.size()); }
  const uint8_t* image(int64_t i) const { return pixels.data() + i * image_bytes(); }

  bool has_classes() const { return !class_names.empty(); }
  bool has_transcripts() const { return !transcripts.empty(); }
  bool has_regions() const { return !regions.empty(); }
  // origins[i], or "<source> image <i>" when the set has no origins.
  std::string origin(int64_t i) const;
};

// Indices 0 .. n-1.
std::vector<int64_t> all_indices(int64_t n);

}  // namespace bespoke::data
