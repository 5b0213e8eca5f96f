#include "pipeline/baselines.h"

#include <stdexcept>

#include "arch/architecture.h"
#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "house/channel_pruning.h"

namespace bespoke::pipeline {

ir::Graph uniformly_pruned_teacher(const ir::Graph& teacher_in, double ratio) {
  // The longest span from the input that prune_channels can rewrite (the
  // convolutional body; a classifier head's Reshape ends it), pruned and
  // stitched back in front of the rest.
  ir::Graph teacher = teacher_in;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  std::string why_not = "no span";
  for (int end = static_cast<int>(analysis.cuts.size()) - 1; end > 0; --end) {
    std::optional<ir::Graph> pruned;
    try {
      pruned = house::prune_channels(blocks::extract_span(teacher, 0, end), ratio, &why_not);
    } catch (const std::exception& e) {
      why_not = e.what();
      continue;
    }
    if (!pruned) continue;
    blocks::Replacement r;
    r.cut_begin = 0;
    r.cut_end = end;
    r.graph = std::move(*pruned);
    r.name = "uniform-pruning";
    ir::Graph g = blocks::stitch(teacher, {r});
    g.name = teacher.name + "/pruned-" + std::to_string(ratio);
    return g;
  }
  throw std::invalid_argument("the teacher cannot be pruned: " + why_not);
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
