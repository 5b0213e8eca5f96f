#include "ir/op_set.h"

#include <set>

namespace bespoke::ir {

bool is_canonical_op(const std::string& op) {
  static const std::set<std::string> kOps = {"Conv",
                                             "ConvTranspose",
                                             "FullyConnected",
                                             "MaxPool",
                                             "AveragePool",
                                             "GlobalAveragePool",
                                             "Add",
                                             "Sub",
                                             "Mul",
                                             "Div",
                                             "Relu",
                                             "Clip",
                                             "LeakyRelu",
                                             "Sigmoid",
                                             "HardSigmoid",
                                             "HardSwish",
                                             "SiLU",
                                             "Tanh",
                                             "Softmax",
                                             "Concat",
                                             "Reshape",
                                             "Transpose",
                                             "Pad",
                                             "Resize",
                                             "ChannelShuffle",
                                             "ReduceMean",
                                             "Slice",
                                             "Split",
                                             "BatchNormalization",
                                             "Sqrt",
                                             "MatMul"};
  return kOps.count(op) != 0;
}

}  // namespace bespoke::ir
