// The teacher's features at the cuts the house distills between, computed
// once per run over a fixed set of images and shared by every alternative.
#pragma once

#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "data/batch_loader.h"
#include "house/feature_cache.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::house {

// "<split>/cut<k>": the cache name of the teacher's feature at cut k.
std::string feature_name(const std::string& split, int cut);

// Runs `teacher` (eval mode, no autograd) over one epoch of `loader` and
// stores its feature at every cut in `cuts` as the cache tensor
// feature_name(split, cut), shaped [images, C, H, W] in the loader's order.
// `on_batch(done, total)` reports progress in images.
void compute_teacher_features(torchbridge::GraphModule& teacher, const blocks::BlockAnalysis& analysis,
                              const std::vector<int>& cuts, data::BatchLoader& loader, FeatureCache& cache,
                              const std::string& split, const std::function<void(int64_t, int64_t)>& on_batch);

}  // namespace bespoke::house
