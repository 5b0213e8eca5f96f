#include "task/task_loss.h"

#include <ATen/ATen.h>

#include "task/task_error.h"
#include "task/polygon_mask.h"

namespace bespoke::task {

namespace {

at::Tensor class_kd(const at::Tensor& s, const at::Tensor& t, double T, int64_t dim) {
  const at::Tensor target = at::softmax(t / T, dim);
  return at::kl_div(at::log_softmax(s / T, dim), target, at::Reduction::None).sum(dim).mean() * (T * T);
}

}  // namespace

at::Tensor distillation_loss(const TaskHead& head, const at::Tensor& s, const at::Tensor& t, double temperature) {
  switch (head.kind) {
    case TaskKind::kClassify: return class_kd(s.flatten(1), t.flatten(1), temperature, 1);
    case TaskKind::kCtc: return class_kd(s, t, temperature, 2);
    case TaskKind::kDense: return at::binary_cross_entropy_with_logits(s, at::sigmoid(t));
  }
  throw TaskError("distillation_loss: unknown task");
}

LabelTargets::LabelTargets(const TaskHead& head, const data::ImageSet& set) : head_(head), set_(set) {
  switch (head.kind) {
    case TaskKind::kClassify: available_ = set.has_classes(); break;
    case TaskKind::kDense: available_ = set.has_regions(); break;
    case TaskKind::kCtc:
      available_ = set.has_transcripts() && head.charset.has_value();
      if (available_) {
        sequences_.reserve(static_cast<size_t>(set.size()));
        for (int64_t i = 0; i < set.size(); ++i) {
          std::string bad;
          std::optional<std::vector<int>> encoded = head.charset->encode(set.transcripts[static_cast<size_t>(i)], &bad);
          if (!encoded)
            throw TaskError(set.origin(i) + ": the character '" + bad +
                            "' is not in the charset " + head.charset->source());
          sequences_.push_back(std::move(*encoded));
        }
      }
      break;
  }
}

std::optional<at::Tensor> LabelTargets::loss(const at::Tensor& s, const std::vector<int64_t>& indices) const {
  if (!available_) return std::nullopt;
  const auto n = static_cast<int64_t>(indices.size());
  switch (head_.kind) {
    case TaskKind::kClassify: {
      std::vector<int64_t> labels(indices.size());
      for (size_t i = 0; i < indices.size(); ++i) labels[i] = set_.labels.at(static_cast<size_t>(indices[i]));
      const at::Tensor target = at::tensor(labels, at::kLong);
      const at::Tensor known = target.ge(0);
      if (!known.any().item<bool>()) return std::nullopt;
      return at::nll_loss(at::log_softmax(s.flatten(1).index({known}), 1), target.index({known}));
    }
    case TaskKind::kCtc: {
      const int64_t steps = s.size(1);
      std::vector<int64_t> flat, lengths;
      for (const int64_t i : indices) {
        const std::vector<int>& seq = sequences_.at(static_cast<size_t>(i));
        flat.insert(flat.end(), seq.begin(), seq.end());
        lengths.push_back(static_cast<int64_t>(seq.size()));
      }
      const at::Tensor log_probs = at::log_softmax(s, 2).transpose(0, 1);  // [T, N, C]
      const std::vector<int64_t> input_lengths(static_cast<size_t>(n), steps);
      return at::ctc_loss(log_probs, at::tensor(flat, at::kLong), input_lengths, lengths, head_.blank,
                          at::Reduction::Mean, /*zero_infinity=*/true);
    }
    case TaskKind::kDense: {
      const int64_t h = s.size(2), w = s.size(3);
      const double sx = static_cast<double>(w) / static_cast<double>(set_.width);
      const double sy = static_cast<double>(h) / static_cast<double>(set_.height);
      at::Tensor masks = at::zeros({n, 1, h, w}, at::kFloat);
      float* m = masks.data_ptr<float>();
      std::vector<uint8_t> raster(static_cast<size_t>(h * w));
      for (int64_t b = 0; b < n; ++b) {
        std::fill(raster.begin(), raster.end(), 0);
        const auto at_image = static_cast<size_t>(indices[static_cast<size_t>(b)]);
        const std::vector<data::Polygon>& polygons = set_.regions.at(at_image);
        for (size_t k = 0; k < polygons.size(); ++k) {
          if (!set_.ignored.empty() && set_.ignored.at(at_image).at(k)) continue;
          data::Polygon scaled = polygons[k];
          for (data::Point& q : scaled) {
            q.x = static_cast<float>(q.x * sx);
            q.y = static_cast<float>(q.y * sy);
          }
          fill_polygon(scaled, h, w, raster.data(), 1, db_shrink_distance(scaled, kDbShrinkRatio));
        }
        for (int64_t i = 0; i < h * w; ++i) m[b * h * w + i] = raster[static_cast<size_t>(i)] ? 1.0f : 0.0f;
      }
      return at::binary_cross_entropy_with_logits(s, masks);
    }
  }
  return std::nullopt;
}

}  // namespace bespoke::task
