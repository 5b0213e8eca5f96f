// Hand-built canonical graphs (ir/op_set.h conventions) for the exporter
// tests, with shapes consistent with ONNX semantics so that ONNX shape
// inference can check the ONNX writer's output against them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::test {

using Attrs = std::map<std::string, ir::Attribute>;

// Attribute values with the canonical IR types. Floats go through float32 so
// they are exactly representable in the .bspk file.
inline ir::Attribute I(int64_t v) { return v; }
inline ir::Attribute F(float v) { return static_cast<double>(v); }
inline ir::Attribute S(const char* v) { return std::string(v); }
inline ir::Attribute Is(std::vector<int64_t> v) { return v; }
inline ir::Attribute Fs(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

// Conv / pool window attributes: square kernel, stride, dilation 1, symmetric pad.
Attrs window(int64_t kernel, int64_t stride, int64_t pad);

class GraphMaker {
 public:
  ir::Graph g;

  int input(const std::string& name, const ir::Shape& shape, ir::DType dtype = ir::DType::kF32);
  // Deterministic pseudo-random float32 data.
  int weight(const std::string& name, const ir::Shape& shape);
  // A node with one output value named `name` (the node is named name + "_node").
  int node(const std::string& op, const std::string& name, const std::vector<int>& inputs, const ir::Shape& out,
           Attrs attrs = {});
  std::vector<int> node(const std::string& op, const std::string& name, const std::vector<int>& inputs,
                        const std::vector<ir::Shape>& outs, Attrs attrs);
  void output(int value) { g.outputs.push_back(value); }

 private:
  uint32_t seed_ = 12345;
};

// One graph using every canonical op and every options table (39 nodes),
// input "x" [1,4,8,8] -> output "probs" [1,2,4]. It uses the runtime 0.2.0
// opcodes (SQRT, BATCH_MATMUL); small_graph() uses only 0.1.0 ones.
ir::Graph every_op_graph();

// x [1,3,8,8] -> Conv(+Relu) -> GlobalAveragePool -> Reshape -> FullyConnected -> y [1,5].
ir::Graph small_graph();

// Splits g's nodes into one block per provenance kind (5 blocks, each with
// every provenance field set). Needs at least 5 nodes.
void add_blocks_of_every_kind(ir::Graph& g);

}  // namespace bespoke::test
