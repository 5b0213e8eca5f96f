#include "task/runtime_scoring.h"

#include <optional>

#include "task/task_error.h"

namespace bespoke::task {

namespace {

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string t = "[";
  for (size_t i = 0; i < dims.size(); ++i) t += (i ? ", " : "") + std::to_string(dims[i]);
  return t + "]";
}

}  // namespace

RuntimeScoring score_on_runtime(const TaskHead& head, const std::vector<uint8_t>& bspk, data::BatchLoader& loader,
                                const References* references, const train::RuntimeEvalOptions& options,
                                bool keep_predictions) {
  RuntimeScoring out;
  std::optional<TaskMetric> metric;
  if (references != nullptr) metric.emplace(head, *references);
  train::run_runtime(bspk, loader, options, [&](const train::RuntimeOutputs& o) {
    if (o.dims.size() != head.output_shape.size() ||
        !std::equal(o.dims.begin() + 1, o.dims.end(), head.output_shape.begin() + 1))
      throw TaskError("the model's output " + dims_text(o.dims) + " is not the teacher's " +
                      dims_text(head.output_shape) + " (task " + task_name(head.kind) + ")");
    for (int64_t i = 0; i < o.count; ++i) {
      const float* output = o.values + i * o.sample_elements;
      Prediction p = decode_output(head, output);
      if (metric) metric->add(p, output);
      if (keep_predictions) out.predictions.push_back(std::move(p));
    }
  });
  if (metric) out.scores = metric->result();
  return out;
}

References split_references(const TaskHead& head, const std::vector<uint8_t>& teacher_bspk, data::BatchLoader& loader,
                            const data::ImageSet& set, const std::vector<int64_t>& indices) {
  References labelled = references_from_data(head, set, indices);
  if (!labelled.items.empty()) return labelled;
  return references_from_teacher(score_on_runtime(head, teacher_bspk, loader, nullptr, {"auto", 1}, true).predictions);
}

}  // namespace bespoke::task
