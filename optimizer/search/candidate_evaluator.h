// The accuracy of a candidate student on a fixed validation subset, measured
// with LibTorch, incrementally (ARCHITECTURE.md section 1, step 4).
//
// The subset is the first search.validation_images images of the validation
// split, as the house saw them (house/teacher_data.h). At construction the
// teacher runs once over the subset and its feature at every cut an
// alternative may start at is kept (house/feature_cache.h), together with
// the labels.
//
// Evaluating a candidate (a set of alternative keys):
//  1. the memo (by candidate_name of the keys) answers repeated candidates;
//  2. otherwise the student is stitched (house::stitch_student), and run with
//     torchbridge::GraphModule::evaluate from the teacher's cached feature at
//     the candidate's first changed cut a: everything before cut a is the
//     teacher's own graph, so its output there is exactly the cached feature,
//     and only the units from a onward run. The empty candidate (the teacher)
//     starts at the last cut, whose feature is the teacher's logits.
// The result is the task head's score on the subset (task/task_metric.h).
//
// Memory (bounded, stated): the features take images x (sum over the cached
// cuts of C x H x W) x 4 bytes; for the demo teacher and 1000 images that is
// about 60 MB. They live in memory up to distill.feature_cache_mb and in
// memory-mapped files under `spill_dir` beyond it (removed at destruction).
// The memo holds two numbers per distinct candidate.
//
// Edge cases: a candidate whose stitched graph no longer has the teacher's
// value at its first cut (never the case for stitch's seams) throws
// SearchError; a key the house does not have throws house::HouseError.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "blocks/block_analysis.h"
#include "config/optimizer_config.h"
#include "house/house_store.h"
#include "ir/graph.h"

namespace bespoke::search {

struct CandidateScore {
  // The task head's score on the subset (task/task_metric.h: top-1 accuracy,
  // line accuracy or box F1), against labels or, without them, the teacher.
  double accuracy = 0.0;
  // Its lower-is-better companion (task::TaskScores::loss): the mean
  // cross-entropy (classify), the character error rate (ctc), 1 - map IoU
  // (dense).
  double mean_loss = 0.0;
};

class CandidateEvaluator {
 public:
  // `teacher` must carry one block per unit (blocks::assign_unit_blocks) and
  // `analysis` be what that returned. `start_cuts`: the cuts whose features
  // are kept (every alternative's cut_begin); the last cut is always kept.
  // `on_progress(done, total)` reports the teacher pass in images.
  CandidateEvaluator(const ir::Graph& teacher, const blocks::BlockAnalysis& analysis, const house::HouseStore& store,
                     const config::OptimizerConfig& config, const std::vector<int>& start_cuts,
                     const std::string& spill_dir, const std::function<void(int64_t, int64_t)>& on_progress = {});
  ~CandidateEvaluator();
  CandidateEvaluator(const CandidateEvaluator&) = delete;
  CandidateEvaluator& operator=(const CandidateEvaluator&) = delete;

  // Memoized; see the header comment.
  CandidateScore evaluate(const std::vector<std::string>& keys);
  // Seeds the memo (a journal read back); evaluate() then returns `score`.
  void remember(const std::vector<std::string>& keys, const CandidateScore& score);
  bool known(const std::vector<std::string>& keys) const;

  int64_t samples() const;
  int64_t requests() const { return requests_; }  // evaluate() calls
  int64_t runs() const { return runs_; }          // of them, networks actually run
  int64_t feature_bytes() const;                  // the cached features, memory + spilled

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::map<std::string, CandidateScore> memo_;
  int64_t requests_ = 0, runs_ = 0;
};

}  // namespace bespoke::search
