// The one exception type of the IR <-> LibTorch bridge: a graph the bridge
// cannot build a module from, inputs that do not fit the graph, a checkpoint
// that does not fit the module. Messages name the node, value or file at
// fault ("node 'conv1' (Conv): ..."). LibTorch-free so that the facade
// (torch_graph.h) can expose it.
#pragma once

#include <stdexcept>

namespace bespoke::torchbridge {

class BridgeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bespoke::torchbridge
