// Per-op checks of the canonical operator set (op_set.h), used by validate():
// arity, constant weights, attribute presence, types and ranges.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

class OpChecker {
 public:
  OpChecker(const Graph& g, const Node& n, bool require_canonical, std::vector<std::string>& problems);

  // Reports "node 'x' (Op): message".
  void problem(const std::string& message);
  // Reports a message that already names the node (e.g. a GraphError from op_params).
  void report(const std::string& full_message);

  // Attribute readers: a missing attribute is reported only when `required`
  // and the graph must be canonical; a wrong type or value always is.
  std::optional<std::vector<int64_t>> ints(const std::string& key, int64_t size, int64_t min_value,
                                           bool required = true);
  std::optional<int64_t> integer(const std::string& key, int64_t lo, int64_t hi, bool required = true);
  std::optional<double> number(const std::string& key, bool required = true);
  std::optional<std::string> text(const std::string& key, const std::set<std::string>& allowed, bool required = true);

  // Known shape of input i, or nullptr (absent or unknown: reported elsewhere).
  const Shape* input_shape(size_t i) const;
  const Shape* output_shape(size_t i) const;
  void require_constant(size_t i, const std::string& what);
  void check_arity(size_t min_inputs, size_t max_inputs, size_t min_outputs, size_t max_outputs);

  const Graph& g;
  const Node& n;
  const bool canonical;

 private:
  std::vector<std::string>& problems_;
  std::string where_;
};

// Full op_set.h checks of `checker.n` if its op is in the canonical set
// (other ops: nothing). Meant for require_canonical validation: ONNX forms of
// the same op names (negative axes, parameter inputs) are reported.
void check_canonical_op(OpChecker& checker);
// The checks that hold in every dialect: Conv / ConvTranspose /
// FullyConnected weights and BatchNormalization statistics are float32
// constants; fused activation attributes are well formed.
void check_constant_parameters(OpChecker& checker);

}  // namespace bespoke::ir
