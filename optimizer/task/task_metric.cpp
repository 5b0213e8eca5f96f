#include "task/task_metric.h"

#include <algorithm>
#include <cmath>

#include "task/ctc_decoding.h"
#include "task/task_error.h"
#include "task/box_matching.h"
#include "task/db_postprocess.h"
#include "task/mask_iou.h"
#include "task/polygon_mask.h"
#include "task/text_metrics.h"

namespace bespoke::task {

namespace {

int64_t map_height(const TaskHead& h) { return h.output_shape.at(2); }
int64_t map_width(const TaskHead& h) { return h.output_shape.at(3); }

DbOptions db_options(const TaskHead& head) {
  DbOptions o;
  o.thresh = static_cast<float>(head.dense.threshold);
  o.box_thresh = static_cast<float>(head.dense.box_threshold);
  o.unclip_ratio = head.dense.unclip_ratio;
  return o;
}

// What a DB map is trained to show: the text kernels, each polygon shrunk as
// DB's labels are (task_loss.h); DB's unclip grows the boxes back.
std::vector<uint8_t> kernel_mask(const std::vector<data::Polygon>& polygons, int64_t h, int64_t w) {
  std::vector<uint8_t> raster(static_cast<size_t>(h * w), 0);
  for (const data::Polygon& p : polygons) fill_polygon(p, h, w, raster.data(), 1, db_shrink_distance(p, kDbShrinkRatio));
  return raster;
}

// -log p(label), in double precision: from logits through a log-softmax, from
// probabilities (a final Softmax) directly.
double class_cross_entropy(const TaskHead& head, const float* output, int32_t label) {
  const int64_t k = head.classes();
  if (label < 0 || label >= k) return 0.0;
  if (head.activation == OutputActivation::kSoftmax)
    return -std::log(std::max(static_cast<double>(output[label]), 1e-30));
  const double top = *std::max_element(output, output + k);
  double sum = 0.0;
  for (int64_t i = 0; i < k; ++i) sum += std::exp(static_cast<double>(output[i]) - top);
  return -(static_cast<double>(output[label]) - top - std::log(sum));
}

}  // namespace

Prediction decode_output(const TaskHead& head, const float* output) {
  Prediction p;
  switch (head.kind) {
    case TaskKind::kClassify: {
      const int64_t k = head.classes();
      p.class_index = static_cast<int32_t>(std::max_element(output, output + k) - output);
      break;
    }
    case TaskKind::kCtc:
      p.sequence =
          ctc_greedy_decode(output, head.output_shape.at(1), head.classes(), static_cast<int>(head.blank)).classes;
      break;
    case TaskKind::kDense: {
      const int64_t h = map_height(head), w = map_width(head);
      std::vector<float> probabilities;
      const float* map = output;
      if (head.activation != OutputActivation::kSigmoid) {  // a map of logits: DB reads probabilities
        probabilities.resize(static_cast<size_t>(h * w));
        for (int64_t i = 0; i < h * w; ++i) probabilities[static_cast<size_t>(i)] = 1.0f / (1.0f + std::exp(-output[i]));
        map = probabilities.data();
      }
      p.boxes = db_postprocess(map, h, w, h, w, db_options(head));
      p.mask.resize(static_cast<size_t>(h * w));
      for (int64_t i = 0; i < h * w; ++i) p.mask[static_cast<size_t>(i)] = map[i] > head.dense.threshold ? 1 : 0;
      break;
    }
  }
  return p;
}

References references_from_data(const TaskHead& head, const data::ImageSet& set, const std::vector<int64_t>& indices) {
  References r;
  const bool labelled = head.kind == TaskKind::kClassify ? set.has_classes()
                        : head.kind == TaskKind::kCtc    ? set.has_transcripts() && head.charset.has_value()
                                                         : set.has_regions();
  if (!labelled) return r;
  r.items.reserve(indices.size());
  for (const int64_t i : indices) {
    const auto at = static_cast<size_t>(i);
    Prediction p;
    if (head.kind == TaskKind::kClassify) {
      p.class_index = set.labels.at(at);
    } else if (head.kind == TaskKind::kCtc) {
      std::string bad;
      const std::optional<std::vector<int>> encoded = head.charset->encode(set.transcripts.at(at), &bad);
      if (!encoded)
        throw TaskError(set.origin(static_cast<int64_t>(at)) + ": the character '" + bad + "' is not in the charset " +
                        head.charset->source());
      p.sequence = *encoded;
    } else {
      const int64_t h = map_height(head), w = map_width(head);
      const double sx = static_cast<double>(w) / static_cast<double>(set.width);
      const double sy = static_cast<double>(h) / static_cast<double>(set.height);
      const std::vector<data::Polygon>& polygons = set.regions.at(at);
      std::vector<data::Polygon> cared;
      for (size_t k = 0; k < polygons.size(); ++k) {
        data::Polygon scaled = polygons[k];
        for (data::Point& q : scaled) {
          q.x = static_cast<float>(q.x * sx);
          q.y = static_cast<float>(q.y * sy);
        }
        // PaddleOCR's "###": a prediction on it is neither right nor wrong.
        const bool dont_care = !set.ignored.empty() && set.ignored.at(at).at(k);
        if (!dont_care) cared.push_back(scaled);
        p.boxes.push_back(std::move(scaled));
        p.dont_care.push_back(dont_care);
      }
      p.mask = kernel_mask(cared, h, w);
    }
    r.items.push_back(std::move(p));
  }
  return r;
}

References references_from_teacher(std::vector<Prediction> teacher_predictions) {
  References r;
  r.from_teacher = true;
  r.items = std::move(teacher_predictions);
  return r;
}

double TaskScores::get(const std::string& name) const {
  for (const auto& [key, value] : metrics)
    if (key == name) return value;
  throw TaskError("no metric '" + name + "' among the " + metric + " task's figures");
}

TaskMetric::TaskMetric(const TaskHead& head, const References& references) : head_(head), references_(references) {}

void TaskMetric::add(const Prediction& prediction, const float* output) {
  if (samples_ >= static_cast<int64_t>(references_.items.size()))
    throw TaskError("task metric: more predictions than the " + std::to_string(references_.items.size()) +
                    " references of the split");
  const Prediction& truth = references_.items[static_cast<size_t>(samples_)];
  ++samples_;
  switch (head_.kind) {
    case TaskKind::kClassify:
      correct_ += prediction.class_index == truth.class_index;
      if (output != nullptr) cross_entropy_ += class_cross_entropy(head_, output, truth.class_index);
      break;
    case TaskKind::kCtc: text_.add(prediction.sequence, truth.sequence); break;
    case TaskKind::kDense: {
      boxes_.add(prediction.boxes, truth.boxes, truth.dont_care, head_.dense.match_iou);
      if (prediction.mask.size() != truth.mask.size())
        throw TaskError("task metric: a map of " + std::to_string(prediction.mask.size()) + " pixels against " +
                        std::to_string(truth.mask.size()));
      map_iou_.add(prediction.mask.data(), truth.mask.data(), static_cast<int64_t>(truth.mask.size()));
      break;
    }
  }
}

TaskScores TaskMetric::result() const {
  TaskScores s;
  s.metric = head_.metric_name();
  s.samples = samples_;
  s.against_teacher = references_.from_teacher;
  switch (head_.kind) {
    case TaskKind::kClassify:
      s.metrics = {{"accuracy", samples_ ? static_cast<double>(correct_) / static_cast<double>(samples_) : 0.0}};
      break;
    case TaskKind::kCtc:
      s.metrics = {{"line_accuracy", text_.line_accuracy()}, {"cer", text_.cer()}};
      break;
    case TaskKind::kDense: {
      s.metrics = {{"box_f1", boxes_.f1()},
                   {"box_precision", boxes_.precision()},
                   {"box_recall", boxes_.recall()},
                   {"map_iou", map_iou_.mean_iou()}};
      break;
    }
  }
  s.score = s.metrics.front().second;
  const double n = samples_ ? static_cast<double>(samples_) : 1.0;
  s.loss = head_.kind == TaskKind::kClassify ? cross_entropy_ / n
           : head_.kind == TaskKind::kCtc    ? s.get("cer")
                                             : 1.0 - s.get("map_iou");
  return s;
}

}  // namespace bespoke::task
