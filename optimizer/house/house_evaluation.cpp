#include "house/house_evaluation.h"

#include "blocks/unit_blocks.h"
#include "export/bspk_writer.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "train/runtime_evaluation.h"

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
  const train::EvalResult base = train::evaluate_runtime(exporter::write_bspk(teacher), loader, runtime);
  result.samples = base.samples;
  result.teacher_accuracy = base.accuracy();

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
    acc.accuracy = train::evaluate_runtime(exporter::write_bspk(stitched), loader, runtime).accuracy();
    result.alternatives.push_back(acc);
    if (on_alternative) on_alternative(i + 1, done.size(), acc);
  }
  return result;
}

}  // namespace bespoke::house
