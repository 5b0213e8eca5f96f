// Small, exact CPU kernels on constant tensors, used by constant folding to
// evaluate shape arithmetic and weight preprocessing at optimization time.
// Integer tensors compute in int64 (shape values such as INT64_MAX stay
// exact), float tensors in double. Not meant to be fast.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "ir/graph.h"
#include "ir/op_params.h"

namespace bespoke::ir {

TensorData zero_tensor(DType dtype, const Shape& shape);
bool is_float(DType t);

// Element i of any dtype, and stores into any dtype (saturating float -> int).
int64_t load_int(const TensorData& t, int64_t i);
double load_float(const TensorData& t, int64_t i);
void store_int(TensorData& t, int64_t i, int64_t v);
void store_float(TensorData& t, int64_t i, double v);

TensorData cast_tensor(const TensorData& in, DType to);

// N-ary elementwise map with numpy broadcasting into `out_shape` / `out_dtype`.
// Computes with `int_op` when every input is an integer or bool tensor, else
// with `float_op`. An op returning nullopt (division by zero, overflow) makes
// the whole map nullopt.
using IntOp = std::function<std::optional<int64_t>(const std::vector<int64_t>&)>;
using FloatOp = std::function<double(const std::vector<double>&)>;
std::optional<TensorData> map_elements(const std::vector<const TensorData*>& inputs, const Shape& out_shape,
                                       DType out_dtype, const IntOp& int_op, const FloatOp& float_op);

// Data movement (any dtype).
TensorData transpose_tensor(const TensorData& in, const std::vector<int64_t>& perm);
TensorData slice_tensor(const TensorData& in, const std::vector<SliceDim>& dims);
TensorData concat_tensors(const std::vector<const TensorData*>& inputs, size_t axis);
TensorData expand_tensor(const TensorData& in, const Shape& out_shape);
// nullopt when an index is outside [-dim, dim).
std::optional<TensorData> gather_tensor(const TensorData& in, const TensorData& indices, size_t axis);

}  // namespace bespoke::ir
