#include "ir/op_checks.h"

#include <algorithm>
#include <limits>
#include <map>

#include "ir/op_params.h"

namespace bespoke::ir {

namespace {
constexpr int64_t kAny = -1;
constexpr int64_t kNoMin = std::numeric_limits<int64_t>::min();
constexpr size_t kMany = std::numeric_limits<size_t>::max();
}  // namespace

OpChecker::OpChecker(const Graph& graph, const Node& node, bool require_canonical, std::vector<std::string>& problems)
    : g(graph), n(node), canonical(require_canonical), problems_(problems), where_(describe(graph, node)) {}

void OpChecker::problem(const std::string& message) { problems_.push_back(where_ + ": " + message); }
void OpChecker::report(const std::string& full_message) { problems_.push_back(full_message); }

std::optional<std::vector<int64_t>> OpChecker::ints(const std::string& key, int64_t size, int64_t min_value,
                                                    bool required) {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) {
    if (required && canonical) problem("attribute '" + key + "' is missing");
    return std::nullopt;
  }
  const auto* v = std::get_if<std::vector<int64_t>>(&it->second);
  if (!v) {
    problem("attribute '" + key + "' must be an integer list");
    return std::nullopt;
  }
  if (size != kAny && static_cast<int64_t>(v->size()) != size) {
    problem("attribute '" + key + "' must have " + std::to_string(size) + " entries, got " + std::to_string(v->size()));
    return std::nullopt;
  }
  for (int64_t x : *v)
    if (x < min_value) {
      problem("attribute '" + key + "' value " + std::to_string(x) + " must be >= " + std::to_string(min_value));
      return std::nullopt;
    }
  return *v;
}

std::optional<int64_t> OpChecker::integer(const std::string& key, int64_t lo, int64_t hi, bool required) {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) {
    if (required && canonical) problem("attribute '" + key + "' is missing");
    return std::nullopt;
  }
  const auto* v = std::get_if<int64_t>(&it->second);
  if (!v) {
    problem("attribute '" + key + "' must be an integer");
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    problem("attribute '" + key + "' value " + std::to_string(*v) + " is outside [" + std::to_string(lo) + ", " +
            std::to_string(hi) + "]");
    return std::nullopt;
  }
  return *v;
}

std::optional<double> OpChecker::number(const std::string& key, bool required) {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) {
    if (required && canonical) problem("attribute '" + key + "' is missing");
    return std::nullopt;
  }
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
  problem("attribute '" + key + "' must be a number");
  return std::nullopt;
}

std::optional<std::string> OpChecker::text(const std::string& key, const std::set<std::string>& allowed,
                                           bool required) {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) {
    if (required && canonical) problem("attribute '" + key + "' is missing");
    return std::nullopt;
  }
  const auto* s = std::get_if<std::string>(&it->second);
  if (!s || !allowed.count(*s)) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    problem("attribute '" + key + "' must be one of " + list);
    return std::nullopt;
  }
  return *s;
}

const Shape* OpChecker::input_shape(size_t i) const {
  if (!has_input(n, i)) return nullptr;
  const auto& s = g.values[static_cast<size_t>(n.inputs[i])].shape;
  return s ? &*s : nullptr;
}

const Shape* OpChecker::output_shape(size_t i) const {
  if (i >= n.outputs.size() || n.outputs[i] < 0) return nullptr;
  const auto& s = g.values[static_cast<size_t>(n.outputs[i])].shape;
  return s ? &*s : nullptr;
}

void OpChecker::require_constant(size_t i, const std::string& what) {
  if (!has_input(n, i)) return;
  const Value& v = g.values[static_cast<size_t>(n.inputs[i])];
  if (!v.is_constant())
    problem(what + " '" + v.name + "' must be constant");
  else if (v.dtype != DType::kF32)
    problem(what + " '" + v.name + "' must be float32, got " + dtype_name(v.dtype));
}

void OpChecker::check_arity(size_t min_inputs, size_t max_inputs, size_t min_outputs, size_t max_outputs) {
  size_t inputs = n.inputs.size();
  while (inputs > 0 && n.inputs[inputs - 1] < 0) --inputs;  // trailing absent optionals
  if (inputs < min_inputs || inputs > max_inputs)
    problem("has " + std::to_string(inputs) + " inputs, expected " + std::to_string(min_inputs) +
            (max_inputs == min_inputs ? ""
             : max_inputs == kMany    ? " or more"
                                      : " to " + std::to_string(max_inputs)) +
            (canonical && inputs > max_inputs ? " (parameters must be attributes after legalization)" : ""));
  for (size_t i = 0; i < min_inputs && i < n.inputs.size(); ++i)
    if (n.inputs[i] < 0) problem("required input " + std::to_string(i) + " is absent");
  if (n.outputs.size() < min_outputs || n.outputs.size() > max_outputs)
    problem("has " + std::to_string(n.outputs.size()) + " outputs, expected " + std::to_string(min_outputs) +
            (max_outputs == min_outputs ? "" : " or more"));
}

namespace {

void check_activation(OpChecker& c) {
  const auto act = c.text("activation", {"Relu", "Clip"}, false);
  if (act && *act == "Clip") {
    const auto lo = c.number("act_min"), hi = c.number("act_max");
    if (!c.n.has("act_min") || !c.n.has("act_max"))
      c.problem("activation Clip needs act_min and act_max");
    else if (lo && hi && *lo > *hi)
      c.problem("act_min is larger than act_max");
  }
}

// Window attributes shared by Conv, ConvTranspose and the pools (2-D, explicit pads).
void check_window(OpChecker& c) {
  c.ints("kernel_shape", 2, 1);
  c.ints("strides", 2, 1);
  c.ints("dilations", 2, 1);
  c.ints("pads", 4, 0);
  if (c.canonical && c.n.has("auto_pad") && c.n.get_string("auto_pad", "NOTSET") != "NOTSET")
    c.problem("auto_pad must be resolved into explicit pads");
  if (c.canonical && c.n.get_int("ceil_mode", 0) != 0) c.problem("ceil_mode must be resolved into explicit pads");
  const Shape* x = c.input_shape(0);
  if (x && x->size() != 4) c.problem("input must be NCHW (rank 4), got " + shape_string(*x));
}

void check_conv(OpChecker& c, bool transposed) {
  c.check_arity(2, 3, 1, 1);
  check_window(c);
  c.integer("group", 1, std::numeric_limits<int64_t>::max());
  if (transposed) c.ints("output_padding", 2, 0);
  c.require_constant(1, "weight");
  c.require_constant(2, "bias");
  check_activation(c);
  const Shape *x = c.input_shape(0), *w = c.input_shape(1);
  if (!x || !w || x->size() != 4) return;
  try {
    transposed ? resolve_conv_transpose(c.g, c.n, *x, *w) : resolve_conv(c.g, c.n, *x, *w);
  } catch (const GraphError& e) {
    c.report(e.what());
  }
}

void check_fully_connected(OpChecker& c) {
  c.check_arity(2, 3, 1, 1);
  c.require_constant(1, "weight");
  c.require_constant(2, "bias");
  check_activation(c);
  const Shape *x = c.input_shape(0), *w = c.input_shape(1), *b = c.input_shape(2);
  if (w && w->size() != 2)
    c.problem("weight must be [N, K], got " + shape_string(*w));
  else if (x && w && (x->empty() || x->back() != (*w)[1]))
    c.problem("weight " + shape_string(*w) + " does not match input " + shape_string(*x));
  if (w && b && w->size() == 2 && *b != Shape{(*w)[0]}) c.problem("bias must be [" + std::to_string((*w)[0]) + "]");
}

void check_pool(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  check_window(c);
  if (c.n.op == "AveragePool") c.integer("count_include_pad", 0, 1);
  const Shape* x = c.input_shape(0);
  if (!x || x->size() != 4) return;
  try {
    resolve_pool(c.g, c.n, *x);
  } catch (const GraphError& e) {
    c.report(e.what());
  }
}

void check_unary(OpChecker& c) { c.check_arity(1, 1, 1, 1); }

void check_binary(OpChecker& c) {
  c.check_arity(2, 2, 1, 1);
  check_activation(c);
}

void check_global_pool(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const Shape* x = c.input_shape(0);
  if (x && x->size() != 4) c.problem("input must be NCHW (rank 4), got " + shape_string(*x));
}

void check_clip(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const auto lo = c.number("min"), hi = c.number("max");
  if (lo && hi && *lo > *hi) c.problem("min is larger than max");
}

void check_leaky_relu(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  c.number("alpha");
}

void check_hard_sigmoid(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  c.number("alpha");
  c.number("beta");
}

int64_t input_rank(const OpChecker& c) {
  const Shape* x = c.input_shape(0);
  return x ? static_cast<int64_t>(x->size()) : std::numeric_limits<int64_t>::max();
}

void check_axis_op(OpChecker& c) {
  if (c.n.op == "Concat")
    c.check_arity(1, kMany, 1, 1);
  else
    c.check_arity(1, 1, 1, 1);
  const int64_t rank = input_rank(c);
  c.integer("axis", 0, rank == std::numeric_limits<int64_t>::max() ? rank : rank - 1);
}

void check_reshape(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const Shape *x = c.input_shape(0), *y = c.output_shape(0);
  if (x && y && checked_elements(*x) != checked_elements(*y))
    c.problem("input " + shape_string(*x) + " and output " + shape_string(*y) + " differ in element count");
}

void check_transpose(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const int64_t rank = input_rank(c);
  const auto perm = c.ints("perm", rank == std::numeric_limits<int64_t>::max() ? kAny : rank, 0);
  if (!perm) return;
  std::vector<int64_t> sorted = *perm;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int64_t>(i)) {
      c.problem("perm " + shape_string(*perm) + " is not a permutation");
      return;
    }
}

void check_pad(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const int64_t rank = input_rank(c);
  c.ints("pads", rank == std::numeric_limits<int64_t>::max() ? kAny : 2 * rank, 0);
  c.number("value");
  c.text("mode", {"constant"}, false);
}

void check_resize(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  c.text("mode", {"nearest", "linear"});
  c.text("coordinate_transformation_mode", {"half_pixel", "align_corners", "asymmetric", "pytorch_half_pixel"});
  c.text("nearest_mode", {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"});
  {
    auto it = c.n.attrs.find("scales");
    const auto* s = it == c.n.attrs.end() ? nullptr : std::get_if<std::vector<double>>(&it->second);
    if (!s || s->size() != 2 || (*s)[0] < 0 || (*s)[1] < 0)
      c.problem("attribute 'scales' must be 2 non-negative floats");
  }
  const Shape* x = c.input_shape(0);
  if (x && x->size() != 4) c.problem("input must be NCHW (rank 4), got " + shape_string(*x));
}

void check_channel_shuffle(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const auto group = c.integer("group", 1, std::numeric_limits<int64_t>::max());
  const Shape* x = c.input_shape(0);
  if (x && x->size() != 4)
    c.problem("input must be NCHW (rank 4), got " + shape_string(*x));
  else if (x && group && (*x)[1] % *group != 0)
    c.problem("group " + std::to_string(*group) + " does not divide the channels");
}

void check_reduce_mean(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const int64_t rank = input_rank(c);
  if (const auto axes = c.ints("axes", kAny, 0)) {
    for (size_t i = 0; i < axes->size(); ++i)
      if ((*axes)[i] >= rank || (i > 0 && (*axes)[i] <= (*axes)[i - 1])) {
        c.problem("attribute 'axes' " + shape_string(*axes) + " must be sorted, unique and below the rank");
        break;
      }
  }
  c.integer("keepdims", 0, 1);
}

void check_slice(OpChecker& c) {
  c.check_arity(1, 1, 1, 1);
  const Shape* x = c.input_shape(0);
  const int64_t rank = x ? static_cast<int64_t>(x->size()) : kAny;
  const auto starts = c.ints("starts", rank, kNoMin), ends = c.ints("ends", rank, kNoMin);
  const auto steps = c.ints("steps", rank, 1);
  if (!x || !starts || !ends) return;
  for (size_t d = 0; d < x->size(); ++d)
    if ((*starts)[d] < 0 || (*starts)[d] > (*x)[d] || (*ends)[d] < 0 || (*ends)[d] > (*x)[d]) {
      c.problem("starts/ends must be clamped to [0, dim] on every axis");
      break;
    }
}

void check_split(OpChecker& c) {
  c.check_arity(1, 1, 1, kMany);
  const int64_t rank = input_rank(c);
  const auto axis = c.integer("axis", 0, rank == std::numeric_limits<int64_t>::max() ? rank : rank - 1);
  const auto split = c.ints("split", kAny, 0);
  const Shape* x = c.input_shape(0);
  if (!split) return;
  if (split->size() != c.n.outputs.size()) {
    c.problem("attribute 'split' has " + std::to_string(split->size()) + " sizes for " +
              std::to_string(c.n.outputs.size()) + " outputs");
  } else if (x && axis) {
    int64_t total = 0;
    for (int64_t s : *split) total += s;
    if (total != (*x)[static_cast<size_t>(*axis)]) c.problem("split sizes do not add up to the axis size");
  }
}

void check_batch_norm(OpChecker& c) {
  c.check_arity(5, 5, 1, 1);
  const auto eps = c.number("epsilon");
  if (eps && *eps < 0) c.problem("epsilon must be >= 0");
  for (size_t i = 1; i <= 4; ++i)
    c.require_constant(i, i == 1 ? "scale" : i == 2 ? "bias" : i == 3 ? "mean" : "variance");
}

// The run-time matrix product: a constant operand would be a FullyConnected
// (its weights pre-packed), so both must be computed at run time.
void check_matmul(OpChecker& c) {
  c.check_arity(2, 2, 1, 1);
  for (size_t i = 0; i < 2; ++i) {
    if (!has_input(c.n, i)) continue;
    const Value& v = c.g.values[static_cast<size_t>(c.n.inputs[i])];
    if (v.is_constant())
      c.problem(std::string(i == 0 ? "A" : "B") + " '" + v.name +
                "' must be computed at run time (a product with constant weights is a FullyConnected)");
  }
  const Shape *a = c.input_shape(0), *b = c.input_shape(1);
  bool ranks_ok = true;
  for (const Shape* s : {a, b})
    if (s && (s->size() < 2 || s->size() > 4)) {
      c.problem("operands must have rank 2 to 4, got " + shape_string(*s));
      ranks_ok = false;
    }
  if (!a || !b || !ranks_ok) return;
  if (a->back() != (*b)[b->size() - 2])
    c.problem("A " + shape_string(*a) + " and B " + shape_string(*b) + " do not multiply");
  else if (!broadcast_shapes(Shape(a->begin(), a->end() - 2), Shape(b->begin(), b->end() - 2)))
    c.problem("the batch dimensions of A " + shape_string(*a) + " and B " + shape_string(*b) + " do not broadcast");
}

using Check = void (*)(OpChecker&);

const std::map<std::string, Check>& checks() {
  static const std::map<std::string, Check> table = {{"Conv", [](OpChecker& c) { check_conv(c, false); }},
                                                     {"ConvTranspose", [](OpChecker& c) { check_conv(c, true); }},
                                                     {"FullyConnected", check_fully_connected},
                                                     {"MaxPool", check_pool},
                                                     {"AveragePool", check_pool},
                                                     {"GlobalAveragePool", check_global_pool},
                                                     {"Add", check_binary},
                                                     {"Sub", check_binary},
                                                     {"Mul", check_binary},
                                                     {"Div", check_binary},
                                                     {"Relu", check_unary},
                                                     {"Sigmoid", check_unary},
                                                     {"HardSwish", check_unary},
                                                     {"SiLU", check_unary},
                                                     {"Tanh", check_unary},
                                                     {"Clip", check_clip},
                                                     {"LeakyRelu", check_leaky_relu},
                                                     {"HardSigmoid", check_hard_sigmoid},
                                                     {"Softmax", check_axis_op},
                                                     {"Concat", check_axis_op},
                                                     {"Reshape", check_reshape},
                                                     {"Transpose", check_transpose},
                                                     {"Pad", check_pad},
                                                     {"Resize", check_resize},
                                                     {"ChannelShuffle", check_channel_shuffle},
                                                     {"ReduceMean", check_reduce_mean},
                                                     {"Slice", check_slice},
                                                     {"Split", check_split},
                                                     {"BatchNormalization", check_batch_norm},
                                                     {"Sqrt", check_unary},
                                                     {"MatMul", check_matmul}};
  return table;
}

}  // namespace

void check_constant_parameters(OpChecker& c) {
  const std::string& op = c.n.op;
  if (op == "Conv" || op == "ConvTranspose" || op == "FullyConnected") {
    c.require_constant(1, "weight");
    c.require_constant(2, "bias");
  } else if (op == "BatchNormalization") {
    for (size_t i = 1; i <= 4; ++i)
      c.require_constant(i, i == 1 ? "scale" : i == 2 ? "bias" : i == 3 ? "mean" : "variance");
  }
  if (c.n.has("activation")) check_activation(c);
}

void check_canonical_op(OpChecker& checker) {
  auto it = checks().find(checker.n.op);
  if (it != checks().end()) it->second(checker);
}

}  // namespace bespoke::ir
