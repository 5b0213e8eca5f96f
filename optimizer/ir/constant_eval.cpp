#include "ir/constant_eval.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "ir/op_params.h"
#include "ir/tensor_kernels.h"

namespace bespoke::ir {

namespace {

using Result = std::optional<std::vector<TensorData>>;

struct EvalContext {
  const Graph& g;
  const Node& n;

  const TensorData& in(size_t i) const { return *constant_input(g, n, i); }
  const Value& out_value(size_t i = 0) const { return g.values[static_cast<size_t>(n.outputs.at(i))]; }
  const Shape& out_shape(size_t i = 0) const { return *out_value(i).shape; }
  DType out_dtype(size_t i = 0) const { return out_value(i).dtype; }
  std::string where() const { return describe(g, n); }
};

using Evaluator = Result (*)(const EvalContext&);

Result one(std::optional<TensorData> t) {
  if (!t) return std::nullopt;
  return std::vector<TensorData>{std::move(*t)};
}

// Ops that only reinterpret the data with the (inferred) output shape.
Result same_data(const EvalContext& c) {
  TensorData t = c.in(0);
  t.shape = c.out_shape();
  return one(std::move(t));
}

Result shape_op(const EvalContext& c) {
  const Shape& s = c.g.shape_of(c.n.inputs[0]);
  const auto rank = static_cast<int64_t>(s.size());
  int64_t start = c.n.get_int("start", 0), end = c.n.get_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  std::vector<int64_t> dims;
  for (int64_t d = std::max<int64_t>(start, 0); d < std::min(end, rank); ++d) dims.push_back(s[static_cast<size_t>(d)]);
  const auto count = static_cast<int64_t>(dims.size());
  return one(TensorData::from_ints({count}, dims));
}

Result size_op(const EvalContext& c) {
  const auto count = checked_elements(c.g.shape_of(c.n.inputs[0]));
  if (!count) return std::nullopt;
  return one(TensorData::from_ints({}, {*count}));
}

Result cast_op(const EvalContext& c) { return one(cast_tensor(c.in(0), c.out_dtype())); }

Result gather_op(const EvalContext& c) {
  const auto axis = normalize_axis(c.n.get_int("axis", 0), static_cast<int64_t>(c.in(0).shape.size()), c.where());
  return one(gather_tensor(c.in(0), c.in(1), static_cast<size_t>(axis)));
}

Result slice_op(const EvalContext& c) {
  const auto starts = int_param(c.g, c.n, "starts", 1), ends = int_param(c.g, c.n, "ends", 2);
  const auto axes = int_param(c.g, c.n, "axes", 3), steps = int_param(c.g, c.n, "steps", 4);
  return one(slice_tensor(
      c.in(0), resolve_slice(c.in(0).shape, starts.values, ends.values, axes.values, steps.values, c.where())));
}

Result concat_op(const EvalContext& c) {
  std::vector<const TensorData*> parts;
  for (size_t i = 0; i < c.n.inputs.size(); ++i)
    if (has_input(c.n, i)) parts.push_back(&c.in(i));
  const auto axis = normalize_axis(c.n.get_int("axis", 0), static_cast<int64_t>(parts.at(0)->shape.size()), c.where());
  return one(concat_tensors(parts, static_cast<size_t>(axis)));
}

Result transpose_op(const EvalContext& c) {
  std::vector<int64_t> perm = c.n.get_ints("perm");
  if (perm.empty())
    for (auto d = static_cast<int64_t>(c.in(0).shape.size()); d-- > 0;) perm.push_back(d);
  return one(transpose_tensor(c.in(0), perm));
}

Result expand_op(const EvalContext& c) { return one(expand_tensor(c.in(0), c.out_shape())); }

Result constant_of_shape_op(const EvalContext& c) {
  TensorData t = zero_tensor(c.out_dtype(), c.out_shape());
  const Param<double> value = float_param(c.g, c.n, "value", -1);
  const Param<int64_t> int_value = int_param(c.g, c.n, "value", -1);
  for (int64_t i = 0; i < t.elements(); ++i) {
    if (is_float(t.dtype))
      store_float(t, i, value.values.empty() ? 0.0 : value.values[0]);
    else
      store_int(t, i, int_value.values.empty() ? 0 : int_value.values[0]);
  }
  return one(std::move(t));
}

Result range_op(const EvalContext& c) {
  TensorData t = zero_tensor(c.out_dtype(), c.out_shape());
  for (int64_t i = 0; i < t.elements(); ++i) {
    if (is_float(t.dtype))
      store_float(t, i, load_float(c.in(0), 0) + static_cast<double>(i) * load_float(c.in(2), 0));
    else
      store_int(t, i, load_int(c.in(0), 0) + i * load_int(c.in(2), 0));
  }
  return one(std::move(t));
}

// Elementwise ops over all present inputs.
Result map_inputs(const EvalContext& c, const IntOp& int_op, const FloatOp& float_op) {
  std::vector<const TensorData*> inputs;
  for (size_t i = 0; i < c.n.inputs.size(); ++i)
    if (has_input(c.n, i)) inputs.push_back(&c.in(i));
  return one(map_elements(inputs, c.out_shape(), c.out_dtype(), int_op, float_op));
}

// Integer arithmetic that refuses to fold on overflow instead of wrapping.
std::optional<int64_t> add_checked(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
std::optional<int64_t> sub_checked(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
std::optional<int64_t> mul_checked(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

Result add_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) { return add_checked(v[0], v[1]); }, [](const Floats& v) { return v[0] + v[1]; });
}
Result sub_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) { return sub_checked(v[0], v[1]); }, [](const Floats& v) { return v[0] - v[1]; });
}
Result mul_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) { return mul_checked(v[0], v[1]); }, [](const Floats& v) { return v[0] * v[1]; });
}
Result div_op(const EvalContext& c) {
  return map_inputs(
      c,
      [](const Ints& v) -> std::optional<int64_t> {  // C-style truncation, as ONNX runtimes do
        if (v[1] == 0 || (v[0] == std::numeric_limits<int64_t>::min() && v[1] == -1)) return std::nullopt;
        return v[0] / v[1];
      },
      [](const Floats& v) { return v[0] / v[1]; });
}
Result pow_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints&) -> std::optional<int64_t> { return std::nullopt; },
      [](const Floats& v) { return std::pow(v[0], v[1]); });
}
Result max_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) -> std::optional<int64_t> { return *std::max_element(v.begin(), v.end()); },
      [](const Floats& v) { return *std::max_element(v.begin(), v.end()); });
}
Result min_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) -> std::optional<int64_t> { return *std::min_element(v.begin(), v.end()); },
      [](const Floats& v) { return *std::min_element(v.begin(), v.end()); });
}

#define BESPOKE_COMPARISON(fn, expr)                                               \
  Result fn(const EvalContext& c) {                                                \
    return map_inputs(                                                             \
        c, [](const Ints& v) -> std::optional<int64_t> { return (expr) ? 1 : 0; }, \
        [](const Floats& v) -> double { return (expr) ? 1.0 : 0.0; });             \
  }
BESPOKE_COMPARISON(equal_op, v[0] == v[1])
BESPOKE_COMPARISON(less_op, v[0] < v[1])
BESPOKE_COMPARISON(greater_op, v[0] > v[1])
BESPOKE_COMPARISON(less_equal_op, v[0] <= v[1])
BESPOKE_COMPARISON(greater_equal_op, v[0] >= v[1])
BESPOKE_COMPARISON(and_op, v[0] != 0 && v[1] != 0)
BESPOKE_COMPARISON(or_op, v[0] != 0 || v[1] != 0)
BESPOKE_COMPARISON(xor_op, (v[0] != 0) != (v[1] != 0))
BESPOKE_COMPARISON(not_op, v[0] == 0)
#undef BESPOKE_COMPARISON

Result where_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) -> std::optional<int64_t> { return v[0] != 0 ? v[1] : v[2]; },
      [](const Floats& v) { return v[0] != 0 ? v[1] : v[2]; });
}

Result neg_op(const EvalContext& c) {
  return map_inputs(
      c, [](const Ints& v) { return sub_checked(0, v[0]); }, [](const Floats& v) { return -v[0]; });
}
Result abs_op(const EvalContext& c) {
  return map_inputs(
      c,
      [](const Ints& v) -> std::optional<int64_t> {
        if (v[0] == std::numeric_limits<int64_t>::min()) return std::nullopt;
        return v[0] < 0 ? -v[0] : v[0];
      },
      [](const Floats& v) { return std::fabs(v[0]); });
}
// Float-only math: integer inputs are left unfolded (ONNX defines these on floats).
Result float_unary(const EvalContext& c, double (*fn)(double)) {
  if (!is_float(c.in(0).dtype)) return std::nullopt;
  return map_inputs(
      c, [](const Ints&) -> std::optional<int64_t> { return std::nullopt; },
      [fn](const Floats& v) { return fn(v[0]); });
}
Result floor_op(const EvalContext& c) {
  return float_unary(c, [](double x) { return std::floor(x); });
}
Result ceil_op(const EvalContext& c) {
  return float_unary(c, [](double x) { return std::ceil(x); });
}
Result sqrt_op(const EvalContext& c) {
  return float_unary(c, [](double x) { return std::sqrt(x); });
}
Result reciprocal_op(const EvalContext& c) {
  return float_unary(c, [](double x) { return 1.0 / x; });
}

const std::unordered_map<std::string, Evaluator>& evaluators() {
  static const std::unordered_map<std::string, Evaluator> table = {{"Identity", same_data},
                                                                   {"Reshape", same_data},
                                                                   {"Flatten", same_data},
                                                                   {"Squeeze", same_data},
                                                                   {"Unsqueeze", same_data},
                                                                   {"Shape", shape_op},
                                                                   {"Size", size_op},
                                                                   {"Cast", cast_op},
                                                                   {"Gather", gather_op},
                                                                   {"Slice", slice_op},
                                                                   {"Concat", concat_op},
                                                                   {"Transpose", transpose_op},
                                                                   {"Expand", expand_op},
                                                                   {"ConstantOfShape", constant_of_shape_op},
                                                                   {"Range", range_op},
                                                                   {"Add", add_op},
                                                                   {"Sub", sub_op},
                                                                   {"Mul", mul_op},
                                                                   {"Div", div_op},
                                                                   {"Pow", pow_op},
                                                                   {"Max", max_op},
                                                                   {"Min", min_op},
                                                                   {"Equal", equal_op},
                                                                   {"Less", less_op},
                                                                   {"Greater", greater_op},
                                                                   {"LessOrEqual", less_equal_op},
                                                                   {"GreaterOrEqual", greater_equal_op},
                                                                   {"And", and_op},
                                                                   {"Or", or_op},
                                                                   {"Xor", xor_op},
                                                                   {"Not", not_op},
                                                                   {"Where", where_op},
                                                                   {"Neg", neg_op},
                                                                   {"Abs", abs_op},
                                                                   {"Floor", floor_op},
                                                                   {"Ceil", ceil_op},
                                                                   {"Sqrt", sqrt_op},
                                                                   {"Reciprocal", reciprocal_op}};
  return table;
}

}  // namespace

bool is_foldable_op(const std::string& op) { return evaluators().count(op) != 0; }

std::optional<std::vector<TensorData>> evaluate_constant_node(const Graph& g, const Node& n) {
  auto it = evaluators().find(n.op);
  if (it == evaluators().end() || n.outputs.empty()) return std::nullopt;
  const bool shape_only = n.op == "Shape" || n.op == "Size";
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (!has_input(n, i)) continue;
    const Value& v = g.values[static_cast<size_t>(n.inputs[i])];
    if (shape_only ? !(v.shape && checked_elements(*v.shape)) : !v.constant) return std::nullopt;  // dynamic dims stay
    if (v.constant &&
        v.constant->bytes.size() != static_cast<size_t>(v.constant->elements()) * dtype_size(v.constant->dtype))
      return std::nullopt;  // malformed constant: leave it for the validator to report
  }
  for (int o : n.outputs)
    if (o < 0 || !g.values[static_cast<size_t>(o)].shape) return std::nullopt;
  return it->second(EvalContext{g, n});
}

}  // namespace bespoke::ir
