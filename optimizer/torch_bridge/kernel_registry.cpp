// Canonical op name -> kernel factory (node_kernel.h).
#include <map>

#include "ir/op_params.h"
#include "torch_bridge/bridge_error.h"
#include "torch_bridge/node_kernel.h"

namespace bespoke::torchbridge {

namespace {

using Factory = NodeKernel (*)(const KernelSpec&);

const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> table = {
      {"Conv", make_conv},
      {"ConvTranspose", make_conv_transpose},
      {"FullyConnected", make_fully_connected},
      {"BatchNormalization", make_batch_norm},
      {"MaxPool", make_max_pool},
      {"AveragePool", make_average_pool},
      {"GlobalAveragePool", make_global_average_pool},
      {"Resize", make_resize},
      {"Add", make_binary},
      {"Sub", make_binary},
      {"Mul", make_binary},
      {"Div", make_binary},
      {"Relu", make_activation},
      {"Sigmoid", make_activation},
      {"HardSwish", make_activation},
      {"SiLU", make_activation},
      {"Tanh", make_activation},
      {"Clip", make_activation},
      {"LeakyRelu", make_activation},
      {"HardSigmoid", make_activation},
      {"Softmax", make_softmax},
      {"Concat", make_concat},
      {"Reshape", make_reshape},
      {"Transpose", make_transpose},
      {"Pad", make_pad},
      {"Slice", make_slice},
      {"Split", make_split},
      {"ChannelShuffle", make_channel_shuffle},
      {"ReduceMean", make_reduce_mean},
      {"Sqrt", make_activation},
      {"MatMul", make_matmul},
  };
  return table;
}

}  // namespace

const ir::Shape& KernelSpec::input_shape(size_t i) const {
  if (node.input(i) < 0) fail("input " + std::to_string(i) + " is absent");
  return graph.shape_of(node.input(i));
}

const ir::Shape& KernelSpec::output_shape(size_t k) const {
  if (k >= node.outputs.size()) fail("output " + std::to_string(k) + " is absent");
  return graph.shape_of(node.outputs[k]);
}

void KernelSpec::fail(const std::string& problem) const { throw BridgeError(where + ": " + problem); }

NodeKernel make_node_kernel(const ir::Graph& g, const ir::Node& n) {
  const KernelSpec spec{g, n, ir::describe(g, n)};
  const auto it = factories().find(n.op);
  if (it == factories().end()) spec.fail("op '" + n.op + "' is not implemented by the LibTorch bridge");
  try {
    return it->second(spec);
  } catch (const ir::GraphError& e) {
    spec.fail(e.what());
  }
}

}  // namespace bespoke::torchbridge
