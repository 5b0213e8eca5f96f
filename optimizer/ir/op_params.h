// Operator parameters as ONNX spells them across opsets 9-17 -- attribute in
// old opsets, (constant) input in newer ones -- resolved into explicit
// numbers. Shared by shape inference, constant folding, the fusions, the
// validator and the importer's legalization, so every consumer agrees on
// ONNX semantics (negative axes, auto_pad, clamped slices, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace bespoke::ir {

// "node 'conv1' (Conv)"; falls back to the first output's name when the node is unnamed.
std::string describe(const Graph& g, const Node& n);

// ONNX opset from graph metadata ("onnx_opset"), or 0 when the graph did not come from ONNX.
int onnx_opset(const Graph& g);

// A parameter that may be an attribute or an input: absent (neither given),
// known (attribute, or constant input), or pending (given by an input that is
// not constant yet -- constant folding may still make it known).
template <typename T>
struct Param {
  enum class State { kAbsent, kKnown, kPending };
  State state = State::kAbsent;
  std::vector<T> values;

  bool absent() const { return state == State::kAbsent; }
  bool known() const { return state == State::kKnown; }
  bool pending() const { return state == State::kPending; }
};

// The attribute `attr` if the node has it, else input `input` (if present).
// An input index of -1 means "attribute only".
Param<int64_t> int_param(const Graph& g, const Node& n, const std::string& attr, int input);
Param<double> float_param(const Graph& g, const Node& n, const std::string& attr, int input);

// Input `input` only (no attribute form).
Param<int64_t> int_input(const Graph& g, const Node& n, int input);
Param<double> float_input(const Graph& g, const Node& n, int input);

// True when input i is given (index in range and not -1).
bool has_input(const Node& n, size_t i);
// The constant tensor of input i, or nullptr.
const TensorData* constant_input(const Graph& g, const Node& n, size_t i);

// Axis in [-rank, rank) -> [0, rank); throws GraphError naming `where` otherwise.
int64_t normalize_axis(int64_t axis, int64_t rank, const std::string& where);
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const std::string& where);

// Element count of s, or nullopt if a dim is negative or the count overflows int64.
std::optional<int64_t> checked_elements(const Shape& s);

// Numpy-style broadcast of two shapes; nullopt if incompatible.
std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b);

// ONNX TensorProto element type -> IR dtype. Wider or narrower float types
// (double, float16, bfloat16) map to kF32 and 16/32-bit integers to kI32/kI64,
// because the IR computes in those; nullopt for strings and complex types.
std::optional<DType> dtype_from_onnx(int64_t elem_type);

// One dimension of a resolved Slice: elements start, start+step, ... (count of them).
struct SliceDim {
  int64_t start = 0;
  int64_t step = 1;
  int64_t count = 0;
};
// ONNX Slice semantics for every dim of `in` (dims not listed in axes are kept
// whole): negative indices count from the end, out-of-range values (INT64_MAX
// included) are clamped, negative steps walk backwards. axes empty = 0..n-1,
// steps empty = all 1. Throws GraphError naming `where` on bad lengths, axes or a zero step.
std::vector<SliceDim> resolve_slice(const Shape& in, const std::vector<int64_t>& starts,
                                    const std::vector<int64_t>& ends, const std::vector<int64_t>& axes,
                                    const std::vector<int64_t>& steps, const std::string& where);

// Sliding-window geometry of Conv / ConvTranspose / MaxPool / AveragePool for
// n spatial dims, with auto_pad and output_shape resolved into explicit pads.
struct WindowGeometry {
  std::vector<int64_t> kernel, strides, dilations;
  std::vector<int64_t> pads;            // n begins then n ends (ONNX order; 2-D: top, left, bottom, right)
  std::vector<int64_t> output_padding;  // ConvTranspose only
  std::vector<int64_t> output;          // output spatial sizes
};
// x = [N, C, spatial...]; w = [M, C/group, k...] (Conv) or [C, M/group, k...] (ConvTranspose).
// kernel_shape defaults to w's spatial dims. Throws GraphError naming the node on bad attributes.
WindowGeometry resolve_conv(const Graph& g, const Node& n, const Shape& x, const Shape& w);
WindowGeometry resolve_conv_transpose(const Graph& g, const Node& n, const Shape& x, const Shape& w);
// MaxPool / AveragePool (ceil_mode follows PyTorch: the last window must start inside the input or its begin padding).
WindowGeometry resolve_pool(const Graph& g, const Node& n, const Shape& x);

}  // namespace bespoke::ir
