// The pass drivers: optimize_for_inference (the clean-up passes repeated to
// a fixed point) and settle_shapes_and_constants.
//
// Order within a clean-up round matters: HardSwish / SiLU patterns are
// matched before fuse_activation could absorb their Add -> Clip or Mul into a
// fused activation, a constant bias Add after a Conv is folded before the
// BatchNormalization it hides from fold_batch_norm, and BatchNormalization is
// folded before Conv + Relu fuse.
#include "ir/passes.h"

namespace bespoke::ir {

namespace {
// Every pass strictly shrinks or completes the graph, so a handful of rounds
// suffice; the cap only guards against a pass pair undoing each other.
constexpr int kMaxRounds = 32;
// Shape inference and folding only add knowledge; the cap guards against a
// pass that keeps reporting changes.
constexpr int kMaxSettleRounds = 100;
}  // namespace

int PassCounts::run(const char* name, int (*pass)(Graph&), Graph& g) {
  const int n = pass(g);
  for (auto& [pass_name, count] : changes)
    if (pass_name == name) {
      count += n;
      return n;
    }
  changes.emplace_back(name, n);
  return n;
}

int PassCounts::total() const {
  int sum = 0;
  for (const auto& entry : changes) sum += entry.second;
  return sum;
}

std::string PassCounts::to_string() const {
  std::string out;
  for (const auto& [name, count] : changes) out += (out.empty() ? "" : ", ") + name + " " + std::to_string(count);
  return out + (out.empty() ? "" : " ") + "(" + std::to_string(rounds) + (rounds == 1 ? " round)" : " rounds)");
}

PassCounts settle_shapes_and_constants(Graph& g) {
  PassCounts counts;
  while (counts.rounds < kMaxSettleRounds) {
    ++counts.rounds;
    int changes = counts.run("infer_shapes", infer_shapes, g);
    changes += counts.run("fold_constants", fold_constants, g);
    if (changes == 0) break;
  }
  return counts;
}

PassCounts optimize_for_inference(Graph& g) {
  PassCounts counts;
  topological_sort(g);
  while (counts.rounds < kMaxRounds) {
    ++counts.rounds;
    int changes = 0;
    changes += counts.run("remove_identity", remove_identity, g);
    changes += counts.run("infer_shapes", infer_shapes, g);
    changes += counts.run("fold_constants", fold_constants, g);
    changes += counts.run("fold_bias_add", fold_bias_add, g);
    changes += counts.run("fold_batch_norm", fold_batch_norm, g);
    changes += counts.run("fuse_hard_swish", fuse_hard_swish, g);
    changes += counts.run("fuse_silu", fuse_silu, g);
    changes += counts.run("fuse_channel_shuffle", fuse_channel_shuffle, g);
    changes += counts.run("fuse_activation", fuse_activation, g);
    changes += counts.run("eliminate_dead_code", eliminate_dead_code, g);
    if (changes == 0) break;
  }
  topological_sort(g);
  return counts;
}

}  // namespace bespoke::ir
