// Graph clean-up passes. Each does one thing, leaves the graph valid, and
// returns how many changes it made (0 = nothing to do), so a driver can
// iterate to a fixed point. Each is unit-tested alone (tests/ir/).
//
// Blocks (Graph::blocks) stay consistent: node ranges shift when nodes are
// erased; fusions never remove a value that is a block's input or output;
// a block whose output is no longer produced inside its range (folded to a
// constant, say) or whose nodes a reordering tears apart is dropped.
// Only eliminate_dead_code renumbers value ids (Graph::compact_values).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

// Fills Value::shape / dtype for every value computable from the inputs,
// constants and attributes (canonical and auxiliary ops). Throws GraphError
// naming the node on inconsistent shapes.
int infer_shapes(Graph& g);
// Evaluates nodes whose inputs are all constant (and Shape of a known shape)
// into constants: the Shape/Gather/Unsqueeze/Concat chains PyTorch exports.
// Infers shapes node by node on the way (in topological order), so one call
// reaches a fixed point. Folded tensors are bounded to 16M elements.
int fold_constants(Graph& g);
// Folds a constant per-output-channel Add ([1,M,1,1] or [M,1,1]) that directly
// follows a Conv or ConvTranspose (whose output has no other reader) into its bias.
int fold_bias_add(Graph& g);
// Folds an inference BatchNormalization that directly follows a Conv or
// ConvTranspose (whose output has no other reader) into its weights and bias.
int fold_batch_norm(Graph& g);
// Removes Identity and Dropout (inference) nodes.
int remove_identity(Graph& g);
// x * Sigmoid(x) -> SiLU.
int fuse_silu(Graph& g);
// x * HardSigmoid(x; 1/6, 0.5), and x * Relu6(x + 3) / 6 spelled with
// Add/Clip/Mul/Div -> HardSwish (PP-OCR and mobilenet_v3 exports).
int fuse_hard_swish(Graph& g);
// Conv/FullyConnected/Add.. followed by Relu or Clip -> fused activation.
int fuse_activation(Graph& g);
// Reshape -> Transpose -> Reshape (the ShuffleNet idiom) -> ChannelShuffle.
int fuse_channel_shuffle(Graph& g);
// Removes nodes whose outputs nobody reads and unreferenced values.
int eliminate_dead_code(Graph& g);
// Orders nodes so every node follows its producers; throws on a cycle.
int topological_sort(Graph& g);

// Problems that make a graph unexportable, each naming the node or value
// ("node 'conv1' (Conv): weight 'w' must be constant"). Empty = valid.
// With require_canonical, auxiliary ops are reported too.
std::vector<std::string> validate(const Graph& g, bool require_canonical);

// What a driver's run of several passes did: how many changes each pass made
// in total (passes in the order they first ran) over how many rounds. A pass
// that ran and changed nothing is listed with 0.
struct PassCounts {
  int rounds = 0;
  std::vector<std::pair<std::string, int>> changes;

  // Runs `pass` on g and adds what it returns to the count of `name`.
  int run(const char* name, int (*pass)(Graph&), Graph& g);
  int total() const;
  // "infer_shapes 12, fold_constants 3 (2 rounds)".
  std::string to_string() const;
};

// infer_shapes and fold_constants alternated until neither changes anything:
// what the ONNX importer needs before (and during) legalization, where
// folding a Shape chain makes the next shapes computable. Throws GraphError.
PassCounts settle_shapes_and_constants(Graph& g);

// Runs the whole clean-up pipeline to a fixed point.
PassCounts optimize_for_inference(Graph& g);

}  // namespace bespoke::ir
