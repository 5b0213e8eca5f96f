#include "pipeline/baselines.h"

#include <stdexcept>

#include "arch/architecture.h"
#include "house/channel_pruning.h"

namespace bespoke::pipeline {

ir::Graph uniformly_pruned_teacher(const ir::Graph& teacher, double ratio) {
  std::string why_not;
  std::optional<ir::Graph> pruned = house::prune_channels(teacher, ratio, &why_not);
  if (!pruned) throw std::invalid_argument("the teacher cannot be pruned: " + why_not);
  pruned->name = teacher.name + "/pruned-" + std::to_string(ratio);
  return *pruned;
}

ir::Graph scratch_student(const std::string& architecture, const ir::Graph& teacher, uint64_t seed) {
  arch::ArchitectureOptions options;
  options.input_shape = teacher.shape_of(teacher.inputs.at(0));
  const ir::Shape& logits = teacher.shape_of(teacher.outputs.at(0));
  options.num_classes = logits.back();
  options.seed = seed;
  ir::Graph g = arch::make_architecture(architecture, options);
  g.metadata = teacher.metadata;  // the teacher's preprocessing
  return g;
}

}  // namespace bespoke::pipeline
