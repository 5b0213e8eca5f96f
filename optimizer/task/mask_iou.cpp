#include "task/mask_iou.h"

#include <cmath>
#include <string>

#include "task/task_error.h"

namespace bespoke::task {
namespace {

void check_maps(const void* predicted, const void* truth, int64_t pixels) {
  if (pixels < 0) throw TaskError("mask IoU: " + std::to_string(pixels) + " pixels");
  if (pixels > 0 && (!predicted || !truth)) throw TaskError("mask IoU: no map");
}

}  // namespace

void MaskIoU::add(const float* predicted, const float* truth, int64_t pixels, float threshold) {
  check_maps(predicted, truth, pixels);
  if (!std::isfinite(threshold)) throw TaskError("mask IoU: the threshold is not finite");
  int64_t inter = 0, uni = 0;
  for (int64_t i = 0; i < pixels; ++i) {
    if (!std::isfinite(predicted[i]) || !std::isfinite(truth[i])) {
      throw TaskError("mask IoU: the value at pixel " + std::to_string(i) + " is not finite");
    }
    const bool p = predicted[i] > threshold, t = truth[i] > threshold;
    inter += p && t;
    uni += p || t;
  }
  add_counts(inter, uni);
}

void MaskIoU::add(const uint8_t* predicted, const uint8_t* truth, int64_t pixels) {
  check_maps(predicted, truth, pixels);
  int64_t inter = 0, uni = 0;
  for (int64_t i = 0; i < pixels; ++i) {
    const bool p = predicted[i] != 0, t = truth[i] != 0;
    inter += p && t;
    uni += p || t;
  }
  add_counts(inter, uni);
}

void MaskIoU::add_counts(int64_t image_intersection, int64_t image_union) {
  ++images;
  iou_sum += image_union == 0 ? 1.0 : static_cast<double>(image_intersection) / static_cast<double>(image_union);
  intersection += image_intersection;
  union_pixels += image_union;
}

void MaskIoU::merge(const MaskIoU& other) {
  images += other.images;
  iou_sum += other.iou_sum;
  intersection += other.intersection;
  union_pixels += other.union_pixels;
}

double MaskIoU::mean_iou() const { return images == 0 ? 1.0 : iou_sum / static_cast<double>(images); }

double MaskIoU::pixel_iou() const {
  return union_pixels == 0 ? 1.0 : static_cast<double>(intersection) / static_cast<double>(union_pixels);
}

}  // namespace bespoke::task
