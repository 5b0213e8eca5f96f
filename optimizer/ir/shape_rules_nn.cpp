// Shape rules of the compute ops: convolutions, pooling, matrix products,
// resizing and depth/space rearrangement.
#include <cmath>

#include "ir/op_params.h"
#include "ir/shape_inference.h"

namespace bespoke::ir {

namespace {

void check_bias(const ShapeQuery& q, size_t input, int64_t channels) {
  if (q.present(input) && q.shape(input) != Shape{channels})
    q.fail("bias " + shape_string(q.shape(input)) + " must be [" + std::to_string(channels) + "]");
}

Shape with_spatial(int64_t n, int64_t c, const std::vector<int64_t>& spatial) {
  Shape out{n, c};
  out.insert(out.end(), spatial.begin(), spatial.end());
  return out;
}

Outputs conv(const ShapeQuery& q) {
  const Shape &x = q.shape(0), &w = q.shape(1);
  const WindowGeometry geo = resolve_conv(q.g, q.n, x, w);
  check_bias(q, 2, w[0]);
  return {{with_spatial(x[0], w[0], geo.output), q.dtype(0)}};
}

Outputs conv_transpose(const ShapeQuery& q) {
  const Shape &x = q.shape(0), &w = q.shape(1);
  const WindowGeometry geo = resolve_conv_transpose(q.g, q.n, x, w);
  const int64_t channels = w[1] * q.n.get_int("group", 1);
  check_bias(q, 2, channels);
  return {{with_spatial(x[0], channels, geo.output), q.dtype(0)}};
}

Outputs pool(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const WindowGeometry geo = resolve_pool(q.g, q.n, x);
  const Shape y = with_spatial(x[0], x[1], geo.output);
  return {{y, q.dtype(0)}, {y, DType::kI64}};  // MaxPool's optional Indices
}

Outputs global_pool(const ShapeQuery& q) {
  Shape y = q.shape(0);
  if (y.size() < 3) q.fail("input must be [N, C, spatial...]");
  for (size_t i = 2; i < y.size(); ++i) y[i] = 1;
  return {{y, q.dtype(0)}};
}

Outputs gemm(const ShapeQuery& q) {
  const Shape &a = q.shape(0), &b = q.shape(1);
  if (a.size() != 2 || b.size() != 2) q.fail("A and B must be matrices");
  const bool ta = q.n.get_int("transA", 0) != 0, tb = q.n.get_int("transB", 0) != 0;
  const int64_t m = ta ? a[1] : a[0], k = ta ? a[0] : a[1];
  const int64_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
  if (k != kb) q.fail("inner dimensions " + std::to_string(k) + " and " + std::to_string(kb) + " differ");
  const Shape y{m, n};
  if (q.present(2)) {
    auto c = broadcast_shapes(y, q.shape(2));
    if (!c || *c != y) q.fail("C " + shape_string(q.shape(2)) + " does not broadcast to " + shape_string(y));
  }
  return {{y, q.dtype(0)}};
}

Outputs matmul(const ShapeQuery& q) {
  const Shape &a = q.shape(0), &b = q.shape(1);
  if (a.empty() || b.empty()) q.fail("MatMul needs inputs of rank >= 1");
  const Shape a2 = a.size() == 1 ? Shape{1, a[0]} : a;
  const Shape b2 = b.size() == 1 ? Shape{b[0], 1} : b;
  const int64_t k = a2.back(), kb = b2[b2.size() - 2];
  if (k != kb) q.fail("inner dimensions " + std::to_string(k) + " and " + std::to_string(kb) + " differ");
  auto batch = broadcast_shapes(Shape(a2.begin(), a2.end() - 2), Shape(b2.begin(), b2.end() - 2));
  if (!batch) q.fail("batch dimensions do not broadcast");
  Shape y = *batch;
  if (a.size() > 1) y.push_back(a2[a2.size() - 2]);
  if (b.size() > 1) y.push_back(b2.back());
  return {{y, q.dtype(0)}};
}

// Canonical FullyConnected: Y = X W^T + B on the last dimension.
Outputs fully_connected(const ShapeQuery& q) {
  const Shape &x = q.shape(0), &w = q.shape(1);
  if (x.empty() || w.size() != 2 || x.back() != w[1])
    q.fail("weight " + shape_string(w) + " must be [N, " + (x.empty() ? "?" : std::to_string(x.back())) + "]");
  check_bias(q, 2, w[0]);
  Shape y = x;
  y.back() = w[0];
  return {{y, q.dtype(0)}};
}

// New sizes of the resized axes: `sizes` if given, else floor(in * scale).
std::optional<Shape> resized(const ShapeQuery& q, const Param<double>& scales, const Param<int64_t>& sizes) {
  const Shape& x = q.shape(0);
  std::vector<int64_t> axes = q.n.get_ints("axes");
  if (axes.empty())
    for (size_t d = 0; d < x.size(); ++d) axes.push_back(static_cast<int64_t>(d));
  axes = normalize_axes(axes, static_cast<int64_t>(x.size()), q.where);
  Shape y = x;
  if (sizes.known() && !sizes.values.empty()) {
    if (sizes.values.size() != axes.size())
      q.fail("sizes has " + std::to_string(sizes.values.size()) + " entries for " + std::to_string(axes.size()) +
             " axes");
    for (size_t i = 0; i < axes.size(); ++i) {
      if (sizes.values[i] < 0) q.fail("negative size " + std::to_string(sizes.values[i]));
      y[static_cast<size_t>(axes[i])] = sizes.values[i];
    }
    return y;
  }
  if (scales.known() && !scales.values.empty()) {
    if (scales.values.size() != axes.size())
      q.fail("scales has " + std::to_string(scales.values.size()) + " entries for " + std::to_string(axes.size()) +
             " axes");
    for (size_t i = 0; i < axes.size(); ++i) {
      const double s = scales.values[i];
      const double size = std::floor(static_cast<double>(x[static_cast<size_t>(axes[i])]) * s);
      if (!(s > 0) || !(size < 9.0e15)) q.fail("invalid scale " + std::to_string(s));
      y[static_cast<size_t>(axes[i])] = static_cast<int64_t>(size);
    }
    return y;
  }
  if (scales.pending() || sizes.pending()) return std::nullopt;
  q.fail("needs scales or sizes");
}

Outputs resize(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  if (q.n.has("scales")) {  // canonical: scales[2] on H, W; 0 = sizes taken from the output value
    const std::vector<double> s = q.n.get_floats("scales");
    if (x.size() != 4 || s.size() != 2) q.fail("canonical Resize needs an NCHW input and scales[2]");
    if (s[0] <= 0 || s[1] <= 0) return {{std::nullopt, q.dtype(0)}};
    Shape y = x;
    for (size_t i = 0; i < 2; ++i) y[2 + i] = static_cast<int64_t>(std::floor(static_cast<double>(x[2 + i]) * s[i]));
    return {{y, q.dtype(0)}};
  }
  // Opset 10: (X, scales); opset 11+: (X, roi, scales, sizes).
  const bool opset10 = q.n.inputs.size() <= 2;
  const Param<double> scales = float_input(q.g, q.n, opset10 ? 1 : 2);
  const Param<int64_t> sizes = opset10 ? Param<int64_t>{} : int_input(q.g, q.n, 3);
  return {{resized(q, scales, sizes), q.dtype(0)}};
}

Outputs upsample(const ShapeQuery& q) {
  return {{resized(q, float_param(q.g, q.n, "scales", 1), Param<int64_t>{}), q.dtype(0)}};
}

Outputs depth_to_space(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const int64_t b = q.n.get_int("blocksize", 0);
  if (x.size() != 4 || b < 1 || x[1] % (b * b) != 0) q.fail("blocksize " + std::to_string(b) + " does not fit");
  return {{Shape{x[0], x[1] / (b * b), x[2] * b, x[3] * b}, q.dtype(0)}};
}

Outputs space_to_depth(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const int64_t b = q.n.get_int("blocksize", 0);
  if (x.size() != 4 || b < 1 || x[2] % b != 0 || x[3] % b != 0)
    q.fail("blocksize " + std::to_string(b) + " does not fit");
  return {{Shape{x[0], x[1] * b * b, x[2] / b, x[3] / b}, q.dtype(0)}};
}

}  // namespace

void add_nn_shape_rules(ShapeRuleTable& t) {
  t["Conv"] = conv;
  t["ConvTranspose"] = conv_transpose;
  for (const char* op : {"MaxPool", "AveragePool", "LpPool"}) t[op] = pool;
  for (const char* op : {"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"}) t[op] = global_pool;
  t["Gemm"] = gemm;
  t["MatMul"] = matmul;
  t["FullyConnected"] = fully_connected;
  t["Resize"] = resize;
  t["Upsample"] = upsample;
  t["DepthToSpace"] = depth_to_space;
  t["SpaceToDepth"] = space_to_depth;
}

}  // namespace bespoke::ir
