// Detection quality: predicted text boxes against labeled ones, the ICDAR
// 2015 way that PaddleOCR's DetMetric reports (precision, recall, hmean).
//
// Definitions, per image (add), pooled over images (the counts add up):
//  * a predicted box and a labeled one match when their IoU is >= the
//    threshold (0.5); matching is one-to-one and greedy, highest IoU first
//    (ties: lower label index, then lower prediction index), so a box that
//    overlaps two labels matches only one and each label at most once;
//  * "don't care" labels (PaddleOCR's "###", illegible text) count neither
//    way: they are not truths, and a prediction that lies mostly on one
//    (intersection > 0.5 of the prediction's area) is not counted as a
//    prediction, so detecting illegible text is neither rewarded nor punished;
//  * precision = matched / predicted, recall = matched / truth, f1 (hmean)
//    = 2 P R / (P + R).
// Empty sets, as the ICDAR script treats them: no truth -> recall 1, and
// precision 1 without predictions, 0 with some; truth but no predictions ->
// precision 0 (and recall 0). So an empty image predicted empty scores 1; f1
// is 0 when P + R = 0.
//
// IoU and intersections need one convex polygon per pair (polygon_geometry.h):
// predicted boxes are rectangles, so labels may be any simple polygon.
#pragma once

#include <cstdint>
#include <vector>

#include "data/polygon.h"

namespace bespoke::task {

// The matched (prediction, truth) index pairs, by decreasing IoU.
struct BoxMatch {
  int prediction = 0;
  int truth = 0;
  double iou = 0.0;
};
std::vector<BoxMatch> match_boxes(const std::vector<data::Polygon>& predicted, const std::vector<data::Polygon>& truth,
                                  double iou_threshold = 0.5);

struct BoxScore {
  int64_t predicted = 0;  // predictions counted (not on a don't-care label)
  int64_t truth = 0;      // labels that are not don't-care
  int64_t matched = 0;

  // One image. `dont_care` is empty or has one flag per truth box. Throws
  // TaskError for a threshold outside (0, 1], mismatched sizes, or polygons
  // that cannot be measured.
  void add(const std::vector<data::Polygon>& predicted_boxes, const std::vector<data::Polygon>& truth_boxes,
           const std::vector<bool>& dont_care = {}, double iou_threshold = 0.5);
  void merge(const BoxScore& other);

  double precision() const;
  double recall() const;
  double f1() const;
};

}  // namespace bespoke::task
