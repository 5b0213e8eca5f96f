// Shape rules of ops whose output has the input's shape or the broadcast of
// their inputs' shapes: activations, arithmetic, comparisons, Cast, Where,
// normalizations, Softmax, ChannelShuffle.
#include "ir/op_params.h"
#include "ir/shape_inference.h"

namespace bespoke::ir {

namespace {

Outputs same_shape(const ShapeQuery& q) { return {{q.shape(0), q.dtype(0)}}; }

// Broadcast of every present input from `first` on.
Shape broadcast_inputs(const ShapeQuery& q, size_t first) {
  Shape out = q.shape(first);
  for (size_t i = first + 1; i < q.n.inputs.size(); ++i) {
    if (!q.present(i)) continue;
    auto b = broadcast_shapes(out, q.shape(i));
    if (!b) q.fail("input shapes " + shape_string(out) + " and " + shape_string(q.shape(i)) + " do not broadcast");
    out = *b;
  }
  return out;
}

Outputs arithmetic(const ShapeQuery& q) {
  if (!q.present(0)) q.fail("needs at least one input");
  return {{broadcast_inputs(q, 0), q.dtype(0)}};
}

Outputs comparison(const ShapeQuery& q) {
  if (!q.present(0)) q.fail("needs at least one input");
  return {{broadcast_inputs(q, 0), DType::kBool}};
}

Outputs boolean_unary(const ShapeQuery& q) { return {{q.shape(0), DType::kBool}}; }

Outputs where(const ShapeQuery& q) {
  if (!q.present(0) || !q.present(1) || !q.present(2)) q.fail("needs condition, X and Y");
  return {{broadcast_inputs(q, 0), q.dtype(1)}};
}

Outputs cast(const ShapeQuery& q) {
  const int64_t to = q.n.get_int("to", -1);
  const auto dtype = dtype_from_onnx(to);
  if (!dtype) q.fail("unsupported Cast target type " + std::to_string(to));
  return {{q.shape(0), *dtype}};
}

Outputs dropout(const ShapeQuery& q) { return {{q.shape(0), q.dtype(0)}, {q.shape(0), DType::kBool}}; }

// Softmax-like ops: the axis must exist.
Outputs along_axis(const ShapeQuery& q) {
  const int64_t rank = q.rank(0);
  if (rank > 0) normalize_axis(q.n.get_int("axis", -1), rank, q.where);
  return same_shape(q);
}

Outputs batch_norm(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  if (x.size() < 2) q.fail("input must be [N, C, ...]");
  const int64_t c = x[1];
  for (size_t i = 1; i <= 4; ++i) {
    if (!q.present(i)) q.fail("scale, B, mean and var are required");
    if (q.shape(i) != Shape{c})
      q.fail("parameter " + std::to_string(i) + " has shape " + shape_string(q.shape(i)) + ", expected [" +
             std::to_string(c) + "]");
  }
  // Outputs 1..4 exist only in (legacy) training mode: running statistics.
  Outputs out{{x, q.dtype(0)}};
  for (int i = 0; i < 4; ++i) out.push_back({Shape{c}, q.dtype(0)});
  return out;
}

Outputs prelu(const ShapeQuery& q) {
  auto b = broadcast_shapes(q.shape(0), q.shape(1));
  if (!b || *b != q.shape(0))
    q.fail("slope " + shape_string(q.shape(1)) + " does not broadcast to the input " + shape_string(q.shape(0)));
  return same_shape(q);
}

Outputs channel_shuffle(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const int64_t group = q.n.get_int("group", 0);
  if (x.size() < 2 || group < 1 || x[1] % group != 0)
    q.fail("group " + std::to_string(group) + " must divide the channel count");
  return same_shape(q);
}

Outputs layer_norm(const ShapeQuery& q) {
  const int64_t rank = q.rank(0);
  const int64_t axis = normalize_axis(q.n.get_int("axis", -1), rank, q.where);
  Shape stats = q.shape(0);
  for (size_t d = static_cast<size_t>(axis); d < stats.size(); ++d) stats[d] = 1;
  return {{q.shape(0), q.dtype(0)}, {stats, DType::kF32}, {stats, DType::kF32}};
}

}  // namespace

void add_elementwise_shape_rules(ShapeRuleTable& t) {
  for (const char* op : {"Relu",
                         "Sigmoid",
                         "Tanh",
                         "HardSigmoid",
                         "HardSwish",
                         "SiLU",
                         "LeakyRelu",
                         "Elu",
                         "Selu",
                         "Celu",
                         "Softplus",
                         "Softsign",
                         "Exp",
                         "Log",
                         "Sqrt",
                         "Abs",
                         "Neg",
                         "Floor",
                         "Ceil",
                         "Round",
                         "Reciprocal",
                         "Erf",
                         "Sin",
                         "Cos",
                         "Tan",
                         "Sign",
                         "Identity",
                         "Clip",
                         "Mish",
                         "Gelu",
                         "ThresholdedRelu",
                         "Shrink",
                         "InstanceNormalization",
                         "LRN",
                         "MeanVarianceNormalization",
                         "BitwiseNot"})
    t[op] = same_shape;
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "BitShift",
                         "BitwiseAnd", "BitwiseOr", "BitwiseXor"})
    t[op] = arithmetic;
  for (const char* op : {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"})
    t[op] = comparison;
  for (const char* op : {"Not", "IsNaN", "IsInf"}) t[op] = boolean_unary;
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax"}) t[op] = along_axis;
  t["Where"] = where;
  t["Cast"] = cast;
  t["Dropout"] = dropout;
  t["BatchNormalization"] = batch_norm;
  t["PRelu"] = prelu;
  t["ChannelShuffle"] = channel_shuffle;
  t["LayerNormalization"] = layer_norm;
}

}  // namespace bespoke::ir
