// Built-in architectures as canonical IR graphs with seeded initial weights,
// ready for training (train/) or export. A graph's input is "input"
// [1, C, H, W] (the batch is free in training) and its output "logits"
// [1, classes].
//
// Names:
//   resnet<D>[-w<W>][-s1]   CIFAR-style ResNet, D = 6n + 2 (resnet8, resnet14,
//                           resnet20, ...): a 3x3 Conv+BN+ReLU stem (stride 2
//                           by default, "-s1" keeps full resolution), three
//                           stages of n basic blocks (Conv+BN+ReLU, Conv+BN,
//                           residual Add, ReLU) with widths W, 2W, 4W (W = 32
//                           by default) and stride 2 at stages 2 and 3 (a
//                           1x1 Conv+BN shortcut where the shape changes),
//                           GlobalAveragePool, Reshape, FullyConnected.
// For Fashion-MNIST (1x28x28) resnet8 runs its stages at 14x14, 7x7, 4x4.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::arch {

struct ArchitectureOptions {
  ir::Shape input_shape = {1, 1, 28, 28};  // [N, C, H, W]
  int64_t num_classes = 10;
  uint64_t seed = 0;  // initial weights
};

// Throws std::invalid_argument naming the problem for an unknown name or
// invalid options.
ir::Graph make_architecture(const std::string& name, const ArchitectureOptions& options = {});

// One line per family, for --help and error messages.
std::vector<std::string> architecture_help();

}  // namespace bespoke::arch
