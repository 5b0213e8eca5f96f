#include "house/teacher_features.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

namespace bespoke::house {

std::string feature_name(const std::string& split, int cut) { return split + "/cut" + std::to_string(cut); }

void compute_teacher_features(torchbridge::GraphModule& teacher, const blocks::BlockAnalysis& analysis,
                              const std::vector<int>& cuts, data::BatchLoader& loader, FeatureCache& cache,
                              const std::string& split, const std::function<void(int64_t, int64_t)>& on_batch) {
  at::NoGradGuard no_grad;
  teacher.eval();
  std::vector<int> values;
  std::vector<at::Tensor> outputs;
  const ir::Graph& g = teacher.graph();
  const int64_t images = loader.samples();
  for (int cut : cuts) {
    const int v = analysis.cuts.at(static_cast<size_t>(cut));
    values.push_back(v);
    std::vector<int64_t> shape = g.shape_of(v);
    shape[0] = images;
    outputs.push_back(cache.allocate(feature_name(split, cut), shape));
  }
  const ir::Shape input_shape = g.shape_of(g.inputs.at(0));
  loader.start_epoch(0);
  int64_t done = 0;
  while (const data::Batch* batch = loader.next()) {
    std::vector<int64_t> shape = input_shape;
    shape[0] = batch->size;
    const at::Tensor x = at::from_blob(const_cast<float*>(batch->images.data()), shape, at::kFloat);
    const std::vector<at::Tensor> features = teacher.forward_values({x}, values);
    for (size_t i = 0; i < features.size(); ++i) outputs[i].narrow(0, done, batch->size).copy_(features[i]);
    done += batch->size;
    if (on_batch) on_batch(done, images);
  }
}

}  // namespace bespoke::house
