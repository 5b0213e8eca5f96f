// Element-wise operators, Softmax, BatchNormalization and the no-ops: mostly
// kept, with attribute defaults made explicit and parameters that newer
// opsets pass as inputs (Clip's bounds) turned into attributes. Pow with a
// constant exponent becomes the canonical op it amounts to.
#include <limits>
#include <sstream>

#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

namespace {

constexpr int64_t kOnnxFloat = 1;  // TensorProto::FLOAT

void require_float_inputs(Rewriter& rw) {
  for (size_t i = 0; i < rw.node().inputs.size(); ++i) require_float_input(rw, i);
}

// Op kept as is with output shape = input shape; `attrs` are its canonical attributes.
void keep_unary(Rewriter& rw, std::map<std::string, ir::Attribute> attrs = {}) {
  require_float_inputs(rw);
  ir::Node c = rw.canonical(rw.node().op);
  c.inputs.resize(1);
  c.outputs.resize(1);
  c.attrs = std::move(attrs);
  rw.set_shape(c.outputs[0], rw.input_shape(0));
  rw.emit(std::move(c));
}

void legalize_plain_unary(Rewriter& rw) { keep_unary(rw); }

void legalize_leaky_relu(Rewriter& rw) { keep_unary(rw, {{"alpha", rw.node().get_float("alpha", 0.01)}}); }

void legalize_hard_sigmoid(Rewriter& rw) {
  const ir::Node& n = rw.node();
  keep_unary(rw, {{"alpha", n.get_float("alpha", 0.2)}, {"beta", n.get_float("beta", 0.5)}});
}

ir::Shape broadcast_or_fail(Rewriter& rw, const ir::Shape& a, const ir::Shape& b) {
  auto y = ir::broadcast_shapes(a, b);
  if (!y) rw.fail("input shapes " + ir::shape_string(a) + " and " + ir::shape_string(b) + " do not broadcast");
  return *y;
}

void legalize_binary(Rewriter& rw) {
  require_float_inputs(rw);
  const ir::Shape y = broadcast_or_fail(rw, rw.input_shape(0), rw.input_shape(1));
  ir::Node c = rw.canonical(rw.node().op);
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

// Pow(x, p) for the constant scalar exponents that have a canonical form:
// 2 -> Mul(x, x), 0.5 -> Sqrt(x), 1 -> Identity (removed later). These are
// what normalizations exported from PyTorch use (variance, RMS).
void legalize_pow(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const std::string supported = "supported are the constant scalar exponents 0.5 (Sqrt), 1 and 2 (Mul)";
  const int x = n.input(0);
  const ir::Shape x_shape = rw.input_shape(0);
  require_float_input(rw, 0);  // the exponent may be any numeric constant
  const ir::TensorData& exponent = rw.constant_input(1, "the exponent (" + supported + ")");
  if (exponent.elements() != 1)
    rw.fail("the exponent has shape " + ir::shape_string(exponent.shape) + "; " + supported);
  if (broadcast_or_fail(rw, x_shape, exponent.shape) != x_shape)
    rw.fail("the exponent " + ir::shape_string(exponent.shape) + " would broadcast the input " +
            ir::shape_string(x_shape) + " to a larger shape");
  const double p = exponent.float_at(0);
  const char* op = p == 2.0 ? "Mul" : p == 0.5 ? "Sqrt" : p == 1.0 ? "Identity" : nullptr;
  if (!op) {
    std::ostringstream text;
    text.precision(9);
    text << p;
    rw.fail("exponent " + text.str() + " is not supported; " + supported);
  }
  rw.set_shape(n.outputs[0], x_shape);
  ir::Node c = rw.canonical(op);
  c.inputs = p == 2.0 ? std::vector<int>{x, x} : std::vector<int>{x};
  c.outputs.resize(1);
  rw.emit(std::move(c));
}

// Sum of n inputs -> a chain of n-1 Adds (Identity for one input).
void legalize_sum(Rewriter& rw) {
  require_float_inputs(rw);
  const ir::Node& n = rw.node();
  if (n.inputs.empty()) rw.fail("no inputs");
  const int out = n.outputs[0];
  if (n.inputs.size() == 1) {
    rw.set_shape(out, rw.input_shape(0));
    rw.emit(rw.make("Identity", {n.inputs[0]}, {out}, "identity"));
    return;
  }
  std::vector<ir::Shape> partial{rw.input_shape(0)};
  for (size_t i = 1; i < n.inputs.size(); ++i)
    partial.push_back(broadcast_or_fail(rw, partial.back(), rw.input_shape(i)));
  rw.set_shape(out, partial.back());
  int acc = n.inputs[0];
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    const bool last = i + 1 == n.inputs.size();
    const int next = last ? out : rw.add_value("sum" + std::to_string(i), partial[i]);
    ir::Node add = last ? rw.canonical("Add") : rw.make("Add", {}, {next}, "add" + std::to_string(i));
    add.inputs = {acc, n.inputs[i]};
    rw.emit(std::move(add));
    acc = next;
  }
}

// Clip: bounds are attributes before opset 11 and optional inputs after; a
// missing bound is unbounded.
void legalize_clip(Rewriter& rw) {
  const bool as_inputs = rw.opset() >= 11;
  auto bound = [&](const char* name, int input, double fallback) {
    auto values = rw.float_param(name, as_inputs ? input : -1);
    if (!values) return fallback;
    if (values->size() != 1) rw.fail(std::string("'") + name + "' must be a scalar");
    return (*values)[0];
  };
  const double lo = bound("min", 1, -std::numeric_limits<double>::infinity());
  const double hi = bound("max", 2, std::numeric_limits<double>::infinity());
  keep_unary(rw, {{"min", lo}, {"max", hi}});
}

void legalize_batch_norm(Rewriter& rw) {
  const ir::Node& n = rw.node();
  if (n.get_int("training_mode", 0) != 0) rw.fail("training mode is not supported");
  for (size_t i = 1; i < n.outputs.size(); ++i)
    if (rw.output_used(i)) rw.fail("the training outputs (running mean / variance) are not supported");
  require_float_inputs(rw);
  const ir::Shape x = rw.input_shape(0);
  if (x.size() < 2) rw.fail("input must have a channel dimension, got shape " + ir::shape_string(x));
  for (size_t i = 1; i <= 4; ++i)
    if (rw.input_shape(i) != ir::Shape{x[1]})
      rw.fail("parameter " + value_label(rw.graph(), n.input(i)) + " has shape " + ir::shape_string(rw.input_shape(i)) +
              ", expected [" + std::to_string(x[1]) + "]");
  ir::Node c = rw.canonical("BatchNormalization");
  c.outputs.resize(1);
  c.attrs["epsilon"] = n.get_float("epsilon", 1e-5);
  rw.set_shape(c.outputs[0], x);
  rw.emit(std::move(c));
}

// Before opset 13 Softmax flattens the input to 2-D at `axis` (default 1);
// from 13 it works along one axis (default -1). The two agree when nothing
// follows `axis` but unit dims; otherwise the old form is emitted as
// Reshape -> Softmax(axis 1) -> Reshape.
void legalize_softmax(Rewriter& rw) {
  require_float_inputs(rw);
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  if (x.empty()) rw.fail("scalar input");
  const bool coerced = rw.opset() < 13;
  const int64_t rank = static_cast<int64_t>(x.size());
  const int64_t axis = ir::normalize_axis(n.get_int("axis", coerced ? 1 : -1), rank, ir::describe(rw.graph(), n));
  int64_t inner = 1, outer = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) *= x[static_cast<size_t>(i)];
  const int out = n.outputs[0];
  rw.set_shape(out, x);
  if (!coerced || inner == x[static_cast<size_t>(axis)]) {
    ir::Node c = rw.canonical("Softmax");
    c.attrs["axis"] = axis;
    rw.emit(std::move(c));
    return;
  }
  const ir::Shape flat{outer, inner};
  const int flat_in = rw.add_value("flat_input", flat);
  const int flat_out = rw.add_value("flat_output", flat);
  rw.emit(rw.make("Reshape", {n.inputs[0]}, {flat_in}, "flatten"));
  ir::Node softmax = rw.canonical("Softmax");
  softmax.inputs = {flat_in};
  softmax.outputs = {flat_out};
  softmax.attrs["axis"] = int64_t{1};
  rw.emit(std::move(softmax));
  rw.emit(rw.make("Reshape", {flat_out}, {out}, "unflatten"));
}

// Identity stays for ir::remove_identity; Dropout (inference) is one.
void legalize_identity(Rewriter& rw) {
  const ir::Node& n = rw.node();
  if (n.op == "Dropout") {
    for (size_t i = 1; i < n.outputs.size(); ++i)
      if (rw.output_used(i)) rw.fail("the mask output is not supported");
    if (rw.has_input(2) && rw.constant_input(2, "training_mode").int_at(0) != 0)
      rw.fail("training mode is not supported");
  }
  if (n.inputs.empty() || n.inputs[0] < 0) rw.fail("no input");
  if (auto shape = rw.graph().values[static_cast<size_t>(n.inputs[0])].shape) rw.set_shape(n.outputs[0], *shape);
  ir::Node identity = rw.canonical("Identity");
  identity.inputs = {n.inputs[0]};
  identity.outputs = {n.outputs[0]};
  rw.emit(std::move(identity));
}

// A float -> float Cast is an Identity; other casts of run-time tensors
// (constant ones are folded) have no canonical form.
void legalize_cast(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const int64_t to = n.get_int("to", 0);
  const int in = n.input(0);
  if (in >= 0 && to == kOnnxFloat && rw.graph().values[static_cast<size_t>(in)].dtype == ir::DType::kF32) {
    legalize_identity(rw);
    return;
  }
  rw.not_yet("casts of run-time tensors to anything but float32 are not supported");
}

// Shape arithmetic that must have been folded to constants.
void legalize_foldable(Rewriter& rw) {
  rw.not_yet("only supported when it can be evaluated at conversion time, and its inputs are not known then");
}

}  // namespace

void add_elementwise_rules(RuleTable& rules) {
  for (const char* op : {"Relu", "Sigmoid", "Tanh", "HardSwish", "Sqrt"}) rules[op] = legalize_plain_unary;
  rules["LeakyRelu"] = legalize_leaky_relu;
  rules["HardSigmoid"] = legalize_hard_sigmoid;
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) rules[op] = legalize_binary;
  rules["Sum"] = legalize_sum;
  rules["Pow"] = legalize_pow;
  rules["Clip"] = legalize_clip;
  rules["BatchNormalization"] = legalize_batch_norm;
  rules["Softmax"] = legalize_softmax;
  rules["Identity"] = legalize_identity;
  rules["Dropout"] = legalize_identity;
  rules["Cast"] = legalize_cast;
  for (const char* op : {"Shape", "Gather", "ConstantOfShape"}) rules[op] = legalize_foldable;
}

}  // namespace bespoke::onnx_import::detail
