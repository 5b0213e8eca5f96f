#include "house/house_evaluation.h"

#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "task/runtime_scoring.h"

namespace bespoke::house {

HouseAccuracy evaluate_house(const HouseStore& store, const config::OptimizerConfig& config,
                             const ir::Graph& teacher_in, const EvaluationOptions& options,
                             const std::function<void(size_t, size_t, const AlternativeAccuracy&)>& on_alternative) {
  ir::Graph teacher = teacher_in;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  const TeacherData data = open_teacher_data(config, teacher);
  data::BatchLoader loader = make_loader(data, options.split, options.limit);
  train::RuntimeEvalOptions runtime;
  runtime.backend = options.backend;
  runtime.threads = options.threads;

  HouseAccuracy result;
  result.split = data::split_name(options.split);
  const std::vector<uint8_t> teacher_bytes = exporter::write_bspk(teacher);
  const std::vector<int64_t> indices = loader_indices(data, options.split, options.limit);
  const task::References references =
      task::split_references(data.head, teacher_bytes, loader, *data.dataset.split(options.split).set, indices);
  const task::TaskScores base = task::score_on_runtime(data.head, teacher_bytes, loader, &references, runtime).scores;
  result.metric = base.metric;
  result.against_teacher = base.against_teacher;
  result.samples = base.samples;
  result.teacher_accuracy = base.score;

  std::vector<AlternativeRecord> done;
  for (AlternativeRecord& a : store.alternatives())
    if (a.status == ItemStatus::kDone) done.push_back(std::move(a));
  for (size_t i = 0; i < done.size(); ++i) {
    const AlternativeRecord& rec = done[i];
    const ir::Graph stitched = stitch_student(teacher, analysis, store, {rec.key});
    AlternativeAccuracy acc;
    acc.key = rec.key;
    acc.kind = kind_name(rec.kind);
    acc.params = rec.params;
    acc.flops = rec.flops;
    acc.rel_mse = rec.rel_mse;
    acc.accuracy =
        task::score_on_runtime(data.head, exporter::write_bspk(stitched), loader, &references, runtime).scores.score;
    result.alternatives.push_back(acc);
    if (on_alternative) on_alternative(i + 1, done.size(), acc);
  }
  return result;
}

}  // namespace bespoke::house
