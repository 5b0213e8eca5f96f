// Pattern-matching helpers shared by the fusion passes.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "ir/graph_analysis.h"

namespace bespoke::ir {

// The value of a one-element constant, or nullopt.
std::optional<double> scalar_constant(const Graph& g, int value);

// |a - b| within a relative 1e-5 (float32 exports spell 1/6 as 0.16666667).
bool nearly(double a, double b);

// A Clip's bounds from its attributes (canonical, opset < 11) or constant
// inputs (opset >= 11); a missing bound is the float32 extreme, as in ONNX.
// nullopt when a bound is a non-constant or non-scalar input.
std::optional<std::pair<double, double>> clip_bounds(const Graph& g, const Node& clip);

// The node producing `value` if its op is `op` and it is not flagged in `dead`; else -1.
int producer_with_op(const Graph& g, const UseMap& uses, int value, const std::string& op,
                     const std::vector<bool>& dead);

// Erases the nodes flagged in `dead` if any (keeps blocks consistent); returns `count`.
int erase_fused(Graph& g, const std::vector<bool>& dead, int count);

}  // namespace bespoke::ir
