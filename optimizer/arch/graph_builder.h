// A small helper that writes canonical IR (ir/op_set.h) layer by layer, with
// seeded initial weights, for the built-in architectures. Value and node
// names follow the layer names given ("stage1.block0.conv1" ->
// "stage1.block0.conv1.weight"), so checkpoints and exports stay readable.
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.h"
#include "random/seeded_random.h"

namespace bespoke::arch {

class GraphBuilder {
 public:
  GraphBuilder(std::string graph_name, uint64_t seed);

  int input(const std::string& name, const ir::Shape& shape);
  // Conv k x k, "same" padding (k / 2), no bias (a BatchNormalization
  // follows); weights Kaiming-normal (fan-out, ReLU gain), as ResNets do.
  int conv(int x, int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t stride, const std::string& name);
  // Scale 1 (0 with zero_scale: a residual branch that starts as identity), bias 0,
  // running mean 0, variance 1, epsilon 1e-5.
  int batch_norm(int x, int64_t channels, const std::string& name, bool zero_scale = false);
  int relu(int x, const std::string& name);
  int add(int a, int b, const std::string& name);
  int global_average_pool(int x, const std::string& name);
  // [N, C, 1, 1] -> [N, C].
  int flatten(int x, int64_t batch, int64_t channels, const std::string& name);
  // Y = X W^T + B, W and B uniform in +-1/sqrt(in) (PyTorch's Linear default).
  int fully_connected(int x, int64_t in_features, int64_t out_features, const std::string& name);
  void output(int value);

  // Sorts, infers shapes and validates (canonical); throws ir::GraphError
  // listing the problems.
  ir::Graph finish();

 private:
  int node(const std::string& op, const std::string& name, std::vector<int> inputs);
  int constant(const std::string& name, ir::Shape shape, std::vector<float> values);

  ir::Graph g_;
  random::Random rng_;
};

}  // namespace bespoke::arch
