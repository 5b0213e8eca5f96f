// optimize_for_inference: the clean-up passes repeated to a fixed point.
// Order within a round matters: HardSwish / SiLU patterns are matched before
// fuse_activation could absorb their Add -> Clip or Mul into a fused
// activation, a constant bias Add after a Conv is folded before the
// BatchNormalization it hides from fold_batch_norm, and BatchNormalization is
// folded before Conv + Relu fuse.
#include "ir/passes.h"

namespace bespoke::ir {

namespace {
// Every pass strictly shrinks or completes the graph, so a handful of rounds
// suffice; the cap only guards against a pass pair undoing each other.
constexpr int kMaxRounds = 32;
}  // namespace

void optimize_for_inference(Graph& g) {
  topological_sort(g);
  for (int round = 0; round < kMaxRounds; ++round) {
    int changes = 0;
    changes += remove_identity(g);
    changes += infer_shapes(g);
    changes += fold_constants(g);
    changes += fold_bias_add(g);
    changes += fold_batch_norm(g);
    changes += fuse_hard_swish(g);
    changes += fuse_silu(g);
    changes += fuse_channel_shuffle(g);
    changes += fuse_activation(g);
    changes += eliminate_dead_code(g);
    if (changes == 0) break;
  }
  topological_sort(g);
}

}  // namespace bespoke::ir
