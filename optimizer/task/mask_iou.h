// Overlap of a predicted text map with the ground-truth mask, pixel by pixel:
// a detector's segmentation quality before any box is drawn.
//
// Definitions: a pixel is on when its value is > threshold (the DB
// binarization, 0.3, also turns a 0/1 label mask into itself); per image
// IoU = |predicted and truth| / |predicted or truth|, and 1 when both are
// empty (nothing to find, nothing found). The accumulator keeps both the mean
// of the per-image IoUs (every image weighs the same) and the pooled pixel
// IoU (total intersection / total union: large text weighs more). With no
// images both are 1.
//
// Bad input throws TaskError: a null map with pixels, a non-finite value, a
// threshold that is not finite.
#pragma once

#include <cstdint>

namespace bespoke::task {

struct MaskIoU {
  int64_t images = 0;
  double iou_sum = 0.0;  // of the per-image IoUs
  int64_t intersection = 0;
  int64_t union_pixels = 0;

  // One image of `pixels` values in each map.
  void add(const float* predicted, const float* truth, int64_t pixels, float threshold = 0.3f);
  // Masks of 0 (off) and anything else (on).
  void add(const uint8_t* predicted, const uint8_t* truth, int64_t pixels);
  void merge(const MaskIoU& other);

  double mean_iou() const;
  double pixel_iou() const;

 private:
  void add_counts(int64_t image_intersection, int64_t image_union);
};

}  // namespace bespoke::task
