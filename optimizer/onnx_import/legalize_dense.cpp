// Gemm and MatMul with constant weights -> FullyConnected (Y = X W^T + B on
// the last dim, W stored [N, K]). alpha is folded into W, beta into the bias;
// a C that is not a per-column bias becomes a following Add. A MatMul of two
// run-time tensors (attention) stays a canonical MatMul.
#include <algorithm>

#include "ir/graph_analysis.h"
#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

namespace {

const ir::TensorData& float_matrix(Rewriter& rw, size_t input, const std::string& what) {
  const ir::TensorData& t = rw.constant_input(input, what);
  if (t.dtype != ir::DType::kF32) rw.fail(what + " must be float32, got " + ir::dtype_name(t.dtype));
  if (t.shape.size() != 2) rw.fail(what + " must be a 2-D matrix, got shape " + ir::shape_string(t.shape));
  return t;
}

// W [N, K] = scale * (b_is_nk ? B : B^T).
ir::TensorData weights_nk(const ir::TensorData& b, bool b_is_nk, double scale) {
  const int64_t rows = b.shape[0], cols = b.shape[1];
  const int64_t n = b_is_nk ? rows : cols, k = b_is_nk ? cols : rows;
  std::vector<float> w(static_cast<size_t>(n * k));
  const float* src = b.as<float>();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      w[static_cast<size_t>(i * k + j)] = static_cast<float>(scale * (b_is_nk ? src[i * cols + j] : src[j * cols + i]));
  return ir::TensorData::from_floats({n, k}, w);
}

// beta * C as a per-column bias [N], if C broadcasts along the rows.
std::optional<ir::TensorData> column_bias(const ir::TensorData& c, int64_t n, double beta) {
  const int64_t count = c.elements();
  const bool scalar = count == 1;
  const bool row = count == n && (c.shape == ir::Shape{n} || c.shape == ir::Shape{1, n});
  if (!scalar && !row) return std::nullopt;
  std::vector<float> bias(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) bias[static_cast<size_t>(i)] = static_cast<float>(beta * c.float_at(scalar ? 0 : i));
  return ir::TensorData::from_floats({n}, bias);
}

ir::TensorData scaled(const ir::TensorData& c, double beta) {
  std::vector<float> v(static_cast<size_t>(c.elements()));
  for (int64_t i = 0; i < c.elements(); ++i) v[static_cast<size_t>(i)] = static_cast<float>(beta * c.float_at(i));
  return ir::TensorData::from_floats(c.shape, v);
}

void legalize_gemm(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape a = rw.input_shape(0);
  if (a.size() != 2) rw.fail("A must be 2-D, got shape " + ir::shape_string(a));
  const ir::TensorData& b = float_matrix(rw, 1, "B (the weights)");
  const bool trans_a = n.get_int("transA", 0) != 0;
  const bool trans_b = n.get_int("transB", 0) != 0;
  const double alpha = n.get_float("alpha", 1.0);
  const double beta = n.get_float("beta", 1.0);
  const int64_t m = trans_a ? a[1] : a[0], k = trans_a ? a[0] : a[1];
  const int64_t out_n = trans_b ? b.shape[0] : b.shape[1];
  const int64_t b_k = trans_b ? b.shape[1] : b.shape[0];
  if (k != b_k)
    rw.fail("A " + ir::shape_string(a) + " and B " + ir::shape_string(b.shape) +
            " do not multiply (transA=" + std::to_string(trans_a) + ", transB=" + std::to_string(trans_b) + ")");
  const ir::Shape y{m, out_n};
  const int out = n.outputs[0];

  // C: a bias of the FullyConnected, or a separate Add (plain [M, N] or run-time C).
  std::optional<ir::TensorData> bias;
  int addend = -1;
  if (rw.has_input(2) && beta != 0.0) {
    const ir::Shape c_shape = rw.input_shape(2);
    if (ir::broadcast_shapes(c_shape, y) != y)
      rw.fail("C " + ir::shape_string(c_shape) + " does not broadcast to the output " + ir::shape_string(y));
    const int c_value = n.input(2);
    const ir::ConstantPtr c = rw.graph().values[static_cast<size_t>(c_value)].constant;  // a copy: values may grow
    if (c) {
      if (c->dtype != ir::DType::kF32) rw.fail("C must be float32");
      bias = column_bias(*c, out_n, beta);
      if (!bias) addend = rw.add_constant("C", scaled(*c, beta));
    } else {
      if (beta != 1.0) rw.fail("a run-time C with beta != 1 is not supported");
      addend = c_value;
    }
  }

  int x = n.inputs[0];
  if (trans_a) {
    const int transposed = rw.add_value("A_transposed", {m, k});
    ir::Node t = rw.make("Transpose", {x}, {transposed}, "transpose_A");
    t.attrs["perm"] = std::vector<int64_t>{1, 0};
    rw.emit(std::move(t));
    x = transposed;
  }
  std::vector<int> inputs{x, rw.add_constant("W", weights_nk(b, trans_b, alpha))};
  if (bias) inputs.push_back(rw.add_constant("bias", std::move(*bias)));
  const int fc_out = addend >= 0 ? rw.add_value("product", y) : out;
  ir::Node fc = rw.canonical("FullyConnected");
  fc.inputs = inputs;
  fc.outputs = {fc_out};
  rw.set_shape(out, y);
  rw.emit(std::move(fc));
  if (addend >= 0) rw.emit(rw.make("Add", {fc_out, addend}, {out}, "add_C"));
}

// True if `value` is computed from a graph input. A value that is neither
// that nor constant (an expression of constants not folded yet) may still
// become constant weights: MatMul waits for it rather than keeping a run-time
// product.
bool computed_from_graph_inputs(const ir::Graph& g, int value) {
  const ir::UseMap uses(g);
  std::vector<bool> seen(g.values.size(), false);
  std::vector<int> pending{value};
  while (!pending.empty()) {
    const int v = pending.back();
    pending.pop_back();
    if (v < 0 || seen[static_cast<size_t>(v)]) continue;
    seen[static_cast<size_t>(v)] = true;
    if (std::find(g.inputs.begin(), g.inputs.end(), v) != g.inputs.end()) return true;
    const int producer = uses.producer[static_cast<size_t>(v)];
    if (producer >= 0)
      for (int in : g.nodes[static_cast<size_t>(producer)].inputs) pending.push_back(in);
  }
  return false;
}

// A [...,M,K] x B [...,K,N], both computed at run time: the canonical MatMul
// (ranks 2..4, batch dims broadcast).
void legalize_runtime_matmul(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape a = rw.input_shape(0), b = rw.input_shape(1);
  const ir::Graph& g = rw.graph();
  if (g.values[static_cast<size_t>(n.input(0))].is_constant())
    rw.fail(
        "A is a constant and B is computed at run time; supported are a constant B (FullyConnected) or "
        "both operands computed at run time");
  require_float_input(rw, 0);
  require_float_input(rw, 1);
  if (a.size() < 2 || a.size() > 4 || b.size() < 2 || b.size() > 4)
    rw.fail("a product of two run-time tensors needs operands of rank 2 to 4, got A " + ir::shape_string(a) +
            " and B " + ir::shape_string(b));
  if (a.back() != b[b.size() - 2])
    rw.fail("A " + ir::shape_string(a) + " and B " + ir::shape_string(b) + " do not multiply");
  const auto batch = ir::broadcast_shapes(ir::Shape(a.begin(), a.end() - 2), ir::Shape(b.begin(), b.end() - 2));
  if (!batch)
    rw.fail("the batch dimensions of A " + ir::shape_string(a) + " and B " + ir::shape_string(b) + " do not broadcast");
  ir::Shape y = *batch;
  y.push_back(a[a.size() - 2]);
  y.push_back(b.back());
  rw.set_shape(n.outputs[0], y);
  ir::Node matmul = rw.canonical("MatMul");
  matmul.outputs.resize(1);
  rw.emit(std::move(matmul));
}

void legalize_matmul(Rewriter& rw) {
  const ir::Node& n = rw.node();
  if (n.input(1) < 0) rw.fail("B is missing");
  const ir::Value& b_value = rw.graph().values[static_cast<size_t>(n.input(1))];
  if (!b_value.is_constant() && computed_from_graph_inputs(rw.graph(), n.input(1))) {
    legalize_runtime_matmul(rw);
    return;
  }
  const ir::Shape a = rw.input_shape(0);
  const ir::TensorData& b = float_matrix(rw, 1, "B (the weights)");
  if (a.empty() || a.back() != b.shape[0])
    rw.fail("A " + ir::shape_string(a) + " and B " + ir::shape_string(b.shape) + " do not multiply");
  ir::Shape y(a.begin(), a.end() - 1);
  y.push_back(b.shape[1]);
  ir::Node fc = rw.canonical("FullyConnected");
  fc.inputs = {n.inputs[0], rw.add_constant("W", weights_nk(b, false, 1.0))};
  rw.set_shape(n.outputs[0], y);
  rw.emit(std::move(fc));
}

}  // namespace

void add_dense_rules(RuleTable& rules) {
  rules["Gemm"] = legalize_gemm;
  rules["MatMul"] = legalize_matmul;
}

}  // namespace bespoke::onnx_import::detail
