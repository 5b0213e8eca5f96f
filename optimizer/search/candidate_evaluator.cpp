#include "search/candidate_evaluator.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <set>

#include "house/feature_cache.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "house/teacher_features.h"
#include "search/search_error.h"
#include "search/search_space.h"
#include "torch_bridge/graph_module.h"
#include "train/eval_result.h"

namespace bespoke::search {

namespace {
constexpr int64_t kBatch = 256;
constexpr const char* kSplit = "search";
}  // namespace

struct CandidateEvaluator::State {
  const ir::Graph& teacher;
  const blocks::BlockAnalysis& analysis;
  const house::HouseStore& store;
  std::unique_ptr<house::FeatureCache> cache;
  std::vector<int64_t> labels;
  std::set<int> cuts;
};

CandidateEvaluator::CandidateEvaluator(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis,
                                       const house::HouseStore& store, const config::OptimizerConfig& config,
                                       const std::vector<int>& start_cuts, const std::string& spill_dir,
                                       const std::function<void(int64_t, int64_t)>& on_progress)
    : state_(new State{teacher, analysis, store, nullptr, {}, {}}) {
  State& s = *state_;
  s.cuts.insert(start_cuts.begin(), start_cuts.end());
  s.cuts.insert(static_cast<int>(analysis.cuts.size()) - 1);
  const house::TeacherData data = house::open_teacher_data(config, teacher);
  data::BatchLoader loader =
      house::make_loader(data, data::Split::kValidation, config.search.validation_images, kBatch);
  s.cache = std::make_unique<house::FeatureCache>(config.distill.feature_cache_mb << 20, spill_dir);
  torchbridge::GraphModule module(teacher);
  house::compute_teacher_features(module, analysis, std::vector<int>(s.cuts.begin(), s.cuts.end()), loader, *s.cache,
                                  kSplit, on_progress);
  loader.start_epoch(0);
  while (const data::Batch* batch = loader.next())
    s.labels.insert(s.labels.end(), batch->labels.begin(), batch->labels.begin() + batch->size);
}

CandidateEvaluator::~CandidateEvaluator() = default;

int64_t CandidateEvaluator::samples() const { return static_cast<int64_t>(state_->labels.size()); }

int64_t CandidateEvaluator::feature_bytes() const {
  return state_->cache->memory_bytes() + state_->cache->spilled_bytes();
}

bool CandidateEvaluator::known(const std::vector<std::string>& keys) const {
  return memo_.count(candidate_name(keys)) != 0;
}

void CandidateEvaluator::remember(const std::vector<std::string>& keys, const CandidateScore& score) {
  memo_[candidate_name(keys)] = score;
}

CandidateScore CandidateEvaluator::evaluate(const std::vector<std::string>& keys) {
  ++requests_;
  const std::string name = candidate_name(keys);
  if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
  State& s = *state_;
  const int last_cut = static_cast<int>(s.analysis.cuts.size()) - 1;
  int first = last_cut;
  for (const std::string& key : keys) {
    const std::optional<house::AlternativeRecord> record = s.store.find(key);
    if (!record) throw house::HouseError("the house in " + s.store.dir() + " has no alternative '" + key + "'");
    first = std::min(first, record->cut_begin);
  }
  if (s.cuts.count(first) == 0)
    throw SearchError("candidate " + name + ": the teacher's feature at cut " + std::to_string(first) +
                      " was not cached (the evaluator was built for other alternatives)");
  const at::Tensor& feature = s.cache->get(house::feature_name(kSplit, first));
  at::NoGradGuard no_grad;
  CandidateScore score;
  train::EvalResult result;
  const auto add_logits = [&](const at::Tensor& logits_in, int64_t start) {
    const at::Tensor logits = logits_in.contiguous();
    if (logits.dim() != 2 || logits.size(0) != logits_in.size(0))
      throw SearchError("candidate " + name + ": the output is not [batch, classes] logits");
    const int64_t classes = logits.size(1);
    const float* rows = logits.data_ptr<float>();
    for (int64_t i = 0; i < logits.size(0); ++i) {
      const int64_t label = s.labels[static_cast<size_t>(start + i)];
      int32_t predicted = 0;
      result.loss_sum += train::cross_entropy(rows + i * classes, classes, label, &predicted);
      result.correct += predicted == label;
      ++result.samples;
    }
  };
  const int64_t images = feature.size(0);
  if (keys.empty()) {
    add_logits(feature, 0);  // the teacher: its logits are the feature at the last cut
  } else {
    ++runs_;
    const ir::Graph student = house::stitch_student(s.teacher, s.analysis, s.store, keys);
    const std::string& seam_name =
        s.teacher.values[static_cast<size_t>(s.analysis.cuts[static_cast<size_t>(first)])].name;
    const int seam = student.find_value(seam_name);
    if (seam < 0)
      throw SearchError("candidate " + name + ": the stitched student has no value '" + seam_name + "' at cut " +
                        std::to_string(first));
    torchbridge::GraphModule module(student);
    module.eval();
    const int output = module.graph().outputs.at(0);
    for (int64_t start = 0; start < images; start += kBatch) {
      const int64_t n = std::min(kBatch, images - start);
      add_logits(module.evaluate({{seam, feature.narrow(0, start, n)}}, {output}).at(0), start);
    }
  }
  score.accuracy = result.accuracy();
  score.mean_loss = result.mean_loss();
  memo_[name] = score;
  return score;
}

}  // namespace bespoke::search
