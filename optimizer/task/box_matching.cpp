#include "task/box_matching.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "task/polygon_geometry.h"
#include "task/task_error.h"

namespace bespoke::task {
namespace {

// The fraction of a prediction's area that counts a prediction as lying on a
// don't-care label (the ICDAR 2015 script's AREA_PRECISION_CONSTRAINT).
constexpr double kDontCareCover = 0.5;

void check_threshold(double iou_threshold) {
  if (!(iou_threshold > 0.0 && iou_threshold <= 1.0)) {
    throw TaskError("box matching: the IoU threshold must be in (0, 1]");
  }
}

}  // namespace

std::vector<BoxMatch> match_boxes(const std::vector<data::Polygon>& predicted, const std::vector<data::Polygon>& truth,
                                  double iou_threshold) {
  check_threshold(iou_threshold);
  std::vector<BoxMatch> candidates;
  for (size_t t = 0; t < truth.size(); ++t) {
    for (size_t p = 0; p < predicted.size(); ++p) {
      const double iou = polygon_iou(predicted[p], truth[t]);
      if (iou >= iou_threshold) candidates.push_back({static_cast<int>(p), static_cast<int>(t), iou});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const BoxMatch& a, const BoxMatch& b) {
    return std::make_tuple(-a.iou, a.truth, a.prediction) < std::make_tuple(-b.iou, b.truth, b.prediction);
  });
  std::vector<bool> prediction_used(predicted.size(), false), truth_used(truth.size(), false);
  std::vector<BoxMatch> matches;
  for (const BoxMatch& m : candidates) {
    if (prediction_used[static_cast<size_t>(m.prediction)] || truth_used[static_cast<size_t>(m.truth)]) continue;
    prediction_used[static_cast<size_t>(m.prediction)] = truth_used[static_cast<size_t>(m.truth)] = true;
    matches.push_back(m);
  }
  return matches;
}

void BoxScore::add(const std::vector<data::Polygon>& predicted_boxes, const std::vector<data::Polygon>& truth_boxes,
                   const std::vector<bool>& dont_care, double iou_threshold) {
  check_threshold(iou_threshold);
  if (!dont_care.empty() && dont_care.size() != truth_boxes.size()) {
    throw TaskError("box matching: " + std::to_string(dont_care.size()) + " don't-care flags for " +
                    std::to_string(truth_boxes.size()) + " labeled boxes");
  }
  std::vector<data::Polygon> cared, ignored;
  for (size_t t = 0; t < truth_boxes.size(); ++t) {
    const bool skip = !dont_care.empty() && dont_care[t];
    (skip ? ignored : cared).push_back(truth_boxes[t]);
  }
  std::vector<data::Polygon> counted;
  for (const data::Polygon& p : predicted_boxes) {
    const double area = polygon_area(p);
    bool on_dont_care = false;
    for (size_t i = 0; i < ignored.size() && !on_dont_care; ++i) {
      on_dont_care = area > 0.0 && intersection_area(p, ignored[i]) > kDontCareCover * area;
    }
    if (!on_dont_care) counted.push_back(p);
  }
  predicted += static_cast<int64_t>(counted.size());
  truth += static_cast<int64_t>(cared.size());
  matched += static_cast<int64_t>(match_boxes(counted, cared, iou_threshold).size());
}

void BoxScore::merge(const BoxScore& other) {
  predicted += other.predicted;
  truth += other.truth;
  matched += other.matched;
}

double BoxScore::precision() const {
  if (predicted == 0) return truth == 0 ? 1.0 : 0.0;
  return static_cast<double>(matched) / static_cast<double>(predicted);
}

double BoxScore::recall() const {
  if (truth == 0) return 1.0;
  return static_cast<double>(matched) / static_cast<double>(truth);
}

double BoxScore::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
}

}  // namespace bespoke::task
