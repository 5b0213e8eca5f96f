// Options of GraphModule (graph_module.h) and its facade (torch_graph.h).
// LibTorch-free.
#pragma once

namespace bespoke::torchbridge {

struct GraphModuleOptions {
  // running = (1 - momentum) * running + momentum * batch statistic (PyTorch's convention).
  double batch_norm_momentum = 0.1;
};

struct ToGraphOptions {
  // Fold every BatchNormalization that follows a Conv into the Conv's weights
  // by running ir::optimize_for_inference (which also fuses activations and
  // removes dead values, so value ids change; names are kept). When false, or
  // when the graph has no BatchNormalization, value ids are unchanged.
  bool fold_batch_norm = true;
};

}  // namespace bespoke::torchbridge
