// Internal: the rules legalize() applies, one per ONNX op type, and the
// Rewriter they use to read the node (shapes, constant parameters) and emit
// the canonical nodes that replace it.
//
// A rule either emits its replacement (possibly several nodes, e.g. a
// Transpose before a FullyConnected), or throws:
//  - NotYet: a shape or constant it needs is not known yet; legalize() retries
//    after re-running shape inference and constant folding, and reports the
//    reason if nothing else changes;
//  - CannotLegalize: the node is outside what the canonical set expresses.
// Every canonical node a rule emits has the shapes of its outputs set, and
// exactly the canonical attributes of op_set.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::onnx_import::detail {

struct NotYet {
  std::string reason;
};
struct CannotLegalize {
  std::string reason;
};

class Rewriter {
 public:
  Rewriter(ir::Graph& g, const ir::Node& node, int opset) : g_(g), node_(node), opset_(opset) {}

  ir::Graph& graph() { return g_; }
  const ir::Node& node() const { return node_; }
  int opset() const { return opset_; }

  bool has_input(size_t i) const { return node_.input(i) >= 0; }
  // Input i's shape (a copy: adding values may move the value table); NotYet
  // while unknown, CannotLegalize if the input is absent.
  ir::Shape input_shape(size_t i) const;
  // Input i's constant data (owned by the shared constant, so stable); NotYet
  // while not constant. `what` names the input in the message ("B (the weights)").
  const ir::TensorData& constant_input(size_t i, const std::string& what) const;
  // A parameter given as attribute `attr` or as constant input `input` (-1:
  // attribute only); nullopt when absent, NotYet while the input is not constant.
  std::optional<std::vector<int64_t>> int_param(const std::string& attr, int input) const;
  std::optional<std::vector<double>> float_param(const std::string& attr, int input) const;
  // True if output i exists and a node or the graph reads it.
  bool output_used(size_t i) const;

  // A copy of the node as `op`: same name, inputs (absent trailing ones
  // dropped) and outputs, no attributes.
  ir::Node canonical(const std::string& op) const;
  // A helper node named after this one ("<name>/<suffix>").
  ir::Node make(const std::string& op, std::vector<int> inputs, std::vector<int> outputs,
                const std::string& suffix) const;
  // A new float32 intermediate value named after this node.
  int add_value(const std::string& suffix, const ir::Shape& shape);
  int add_constant(const std::string& suffix, ir::TensorData data);
  // Sets value v's shape; CannotLegalize if a different shape is already known.
  void set_shape(int value, const ir::Shape& shape);
  void emit(ir::Node n) { emitted_.push_back(std::move(n)); }
  std::vector<ir::Node> take_emitted() { return std::move(emitted_); }

  [[noreturn]] void fail(const std::string& reason) const { throw CannotLegalize{reason}; }
  [[noreturn]] void not_yet(const std::string& reason) const { throw NotYet{reason}; }

 private:
  std::string base_name() const;

  ir::Graph& g_;
  const ir::Node& node_;
  int opset_;
  std::vector<ir::Node> emitted_;
};

using Rule = void (*)(Rewriter&);
using RuleTable = std::map<std::string, Rule>;

// Conv, ConvTranspose, MaxPool, AveragePool, GlobalAveragePool.
void add_window_rules(RuleTable& rules);
// Gemm, MatMul (constant B -> FullyConnected, run-time B -> MatMul).
void add_dense_rules(RuleTable& rules);
// Activations, Sqrt, Add/Sub/Mul/Div, Sum, Pow, Clip, Softmax, BatchNormalization, no-ops.
void add_elementwise_rules(RuleTable& rules);
// Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Split, Slice, Pad, ReduceMean.
void add_layout_rules(RuleTable& rules);
// Resize, Upsample.
void add_resize_rules(RuleTable& rules);

// "unsupported operators: Foo (node 'a'), ..." for the nodes of g whose op
// type has no rule; empty if there are none.
std::string unsupported_operators(const ir::Graph& g);

// "x.y" -> a short label used in messages for a value.
std::string value_label(const ir::Graph& g, int value);

// Fails the rule unless input `position` of the current node (if present) is float32.
void require_float_input(Rewriter& rw, size_t position);

}  // namespace bespoke::onnx_import::detail
