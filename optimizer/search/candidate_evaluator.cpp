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
#include "task/task_metric.h"

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
  task::TaskHead head;
  task::References references;  // the subset's labels, else the teacher's predictions
  std::set<int> cuts;
};

CandidateEvaluator::CandidateEvaluator(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis,
                                       const house::HouseStore& store, const config::OptimizerConfig& config,
                                       const std::vector<int>& start_cuts, const std::string& spill_dir,
                                       const std::function<void(int64_t, int64_t)>& on_progress)
    : state_(new State{teacher, analysis, store, nullptr, {}, {}, {}}) {
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
  s.head = data.head;
  const std::vector<int64_t> indices =
      house::loader_indices(data, data::Split::kValidation, config.search.validation_images);
  s.references = task::references_from_data(s.head, *data.dataset.split(data::Split::kValidation).set, indices);
  if (s.references.items.empty()) {
    // Unlabelled: candidates are scored by agreement with the teacher, whose
    // outputs are the feature at the last cut.
    const at::Tensor output =
        s.cache->get(house::feature_name(kSplit, static_cast<int>(analysis.cuts.size()) - 1)).contiguous();
    const int64_t per_sample = output.numel() / std::max<int64_t>(1, output.size(0));
    std::vector<task::Prediction> predictions;
    for (int64_t i = 0; i < output.size(0); ++i)
      predictions.push_back(task::decode_output(s.head, output.data_ptr<float>() + i * per_sample));
    s.references = task::references_from_teacher(std::move(predictions));
  }
}

CandidateEvaluator::~CandidateEvaluator() = default;

int64_t CandidateEvaluator::samples() const { return static_cast<int64_t>(state_->references.items.size()); }

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
  task::TaskMetric metric(s.head, s.references);
  const auto add_outputs = [&](const at::Tensor& outputs_in) {
    const at::Tensor outputs = outputs_in.contiguous();
    if (outputs.dim() != static_cast<int64_t>(s.head.output_shape.size()))
      throw SearchError("candidate " + name + ": the output's rank is not the teacher's");
    const int64_t per_sample = outputs.numel() / std::max<int64_t>(1, outputs.size(0));
    for (int64_t i = 0; i < outputs.size(0); ++i) {
      const float* one = outputs.data_ptr<float>() + i * per_sample;
      metric.add(task::decode_output(s.head, one), one);
    }
  };
  const int64_t images = feature.size(0);
  if (keys.empty()) {
    add_outputs(feature);  // the teacher: its output is the feature at the last cut
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
      add_outputs(module.evaluate({{seam, feature.narrow(0, start, n)}}, {output}).at(0));
    }
  }
  const task::TaskScores scores = metric.result();
  CandidateScore score;
  score.accuracy = scores.score;
  score.mean_loss = scores.loss;
  memo_[name] = score;
  return score;
}

}  // namespace bespoke::search
