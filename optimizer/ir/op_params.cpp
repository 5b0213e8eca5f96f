#include "ir/op_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bespoke::ir {

std::string describe(const Graph& g, const Node& n) {
  std::string name = n.name;
  if (name.empty() && !n.outputs.empty() && n.outputs[0] >= 0 && static_cast<size_t>(n.outputs[0]) < g.values.size())
    name = g.values[static_cast<size_t>(n.outputs[0])].name;
  return "node '" + name + "' (" + n.op + ")";
}

int onnx_opset(const Graph& g) {
  for (const auto& [key, value] : g.metadata) {
    if (key != "onnx_opset") continue;
    try {
      return std::stoi(value);
    } catch (const std::exception&) {
      throw GraphError("graph metadata onnx_opset '" + value + "' is not a number");
    }
  }
  return 0;
}

bool has_input(const Node& n, size_t i) { return i < n.inputs.size() && n.inputs[i] >= 0; }

const TensorData* constant_input(const Graph& g, const Node& n, size_t i) {
  if (!has_input(n, i)) return nullptr;
  return g.values.at(static_cast<size_t>(n.inputs[i])).constant.get();
}

namespace {

// Float -> int64 without undefined behaviour on NaN / out-of-range values
// (ONNX files are untrusted): saturates, NaN becomes 0.
int64_t saturating_int(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

template <typename T>
Param<T> param_from_input(const Graph& g, const Node& n, int input) {
  Param<T> p;
  if (input < 0 || !has_input(n, static_cast<size_t>(input))) return p;
  const TensorData* c = constant_input(g, n, static_cast<size_t>(input));
  if (!c) {
    p.state = Param<T>::State::kPending;
    return p;
  }
  p.state = Param<T>::State::kKnown;
  const int64_t count = c->elements();
  if (static_cast<size_t>(count) * dtype_size(c->dtype) > c->bytes.size())
    throw GraphError(describe(g, n) + ": constant input '" +
                     g.values[static_cast<size_t>(n.inputs[static_cast<size_t>(input)])].name +
                     "' holds fewer bytes than its shape " + shape_string(c->shape) + " needs");
  p.values.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<T, int64_t>)
      p.values.push_back(c->dtype == DType::kF32 ? saturating_int(c->float_at(i)) : c->int_at(i));
    else
      p.values.push_back(c->float_at(i));
  }
  return p;
}

}  // namespace

Param<int64_t> int_input(const Graph& g, const Node& n, int input) { return param_from_input<int64_t>(g, n, input); }
Param<double> float_input(const Graph& g, const Node& n, int input) { return param_from_input<double>(g, n, input); }

Param<int64_t> int_param(const Graph& g, const Node& n, const std::string& attr, int input) {
  auto it = n.attrs.find(attr);
  if (it == n.attrs.end()) return param_from_input<int64_t>(g, n, input);
  Param<int64_t> p;
  p.state = Param<int64_t>::State::kKnown;
  const Attribute& a = it->second;
  if (auto* i = std::get_if<int64_t>(&a))
    p.values = {*i};
  else if (auto* is = std::get_if<std::vector<int64_t>>(&a))
    p.values = *is;
  else if (auto* d = std::get_if<double>(&a))
    p.values = {saturating_int(*d)};
  else if (auto* ds = std::get_if<std::vector<double>>(&a))
    for (double v : *ds) p.values.push_back(saturating_int(v));
  else
    throw GraphError(describe(g, n) + ": attribute '" + attr + "' must be an integer or integer list");
  return p;
}

Param<double> float_param(const Graph& g, const Node& n, const std::string& attr, int input) {
  auto it = n.attrs.find(attr);
  if (it == n.attrs.end()) return param_from_input<double>(g, n, input);
  Param<double> p;
  p.state = Param<double>::State::kKnown;
  const Attribute& a = it->second;
  if (auto* d = std::get_if<double>(&a))
    p.values = {*d};
  else if (auto* ds = std::get_if<std::vector<double>>(&a))
    p.values = *ds;
  else if (auto* i = std::get_if<int64_t>(&a))
    p.values = {static_cast<double>(*i)};
  else if (auto* is = std::get_if<std::vector<int64_t>>(&a))
    for (int64_t v : *is) p.values.push_back(static_cast<double>(v));
  else
    throw GraphError(describe(g, n) + ": attribute '" + attr + "' must be a number or number list");
  return p;
}

int64_t normalize_axis(int64_t axis, int64_t rank, const std::string& where) {
  if (axis < -rank || axis >= rank)
    throw GraphError(where + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const std::string& where) {
  std::vector<int64_t> out;
  out.reserve(axes.size());
  for (int64_t a : axes) {
    int64_t axis = normalize_axis(a, rank, where);
    if (std::find(out.begin(), out.end(), axis) != out.end())
      throw GraphError(where + ": axis " + std::to_string(a) + " is repeated");
    out.push_back(axis);
  }
  return out;
}

std::optional<int64_t> checked_elements(const Shape& s) {
  int64_t count = 1;
  for (int64_t d : s)
    if (d < 0 || __builtin_mul_overflow(count, d, &count)) return std::nullopt;
  return count;
}

std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      return std::nullopt;
  }
  return out;
}

std::optional<DType> dtype_from_onnx(int64_t elem_type) {
  switch (elem_type) {
    case 1:
    case 10:
    case 11:
    case 16: return DType::kF32;  // float, float16, double, bfloat16
    case 2: return DType::kU8;
    case 3: return DType::kI8;
    case 4:
    case 5:
    case 6: return DType::kI32;  // uint16, int16, int32
    case 7:
    case 12:
    case 13: return DType::kI64;  // int64, uint32, uint64
    case 9: return DType::kBool;
    default: return std::nullopt;
  }
}

std::vector<SliceDim> resolve_slice(const Shape& in, const std::vector<int64_t>& starts,
                                    const std::vector<int64_t>& ends, const std::vector<int64_t>& axes_in,
                                    const std::vector<int64_t>& steps, const std::string& where) {
  const int64_t rank = static_cast<int64_t>(in.size());
  if (starts.size() != ends.size())
    throw GraphError(where + ": starts has " + std::to_string(starts.size()) + " entries but ends has " +
                     std::to_string(ends.size()));
  std::vector<int64_t> axes = axes_in;
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (axes.size() != starts.size())
    throw GraphError(where + ": axes has " + std::to_string(axes.size()) + " entries but starts has " +
                     std::to_string(starts.size()));
  if (!steps.empty() && steps.size() != starts.size())
    throw GraphError(where + ": steps has " + std::to_string(steps.size()) + " entries but starts has " +
                     std::to_string(starts.size()));
  axes = normalize_axes(axes, rank, where);

  std::vector<SliceDim> dims(in.size());
  for (size_t d = 0; d < in.size(); ++d) dims[d] = SliceDim{0, 1, in[d]};
  for (size_t i = 0; i < axes.size(); ++i) {
    const int64_t dim = in[static_cast<size_t>(axes[i])];
    const int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0) throw GraphError(where + ": slice step is 0 on axis " + std::to_string(axes[i]));
    int64_t start = starts[i], end = ends[i];
    // Negative indices count from the end (no overflow: dim >= 0 and the value is negative).
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    int64_t count = 0;
    if (dim == 0) {
      start = 0;
    } else if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      if (end > start) count = (end - start - 1) / step + 1;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      const int64_t stride = step == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -step;
      if (start > end) count = (start - end - 1) / stride + 1;
    }
    dims[static_cast<size_t>(axes[i])] = SliceDim{count ? start : 0, step, count};
  }
  return dims;
}

namespace {

// Bound on window attributes (kernel, stride, dilation, pads): keeps the
// window arithmetic far from int64 overflow on hostile files.
constexpr int64_t kMaxWindowValue = int64_t{1} << 31;

std::vector<int64_t> ints_attr(const Graph& g, const Node& n, const std::string& key, size_t size, int64_t fallback,
                               int64_t min_value) {
  std::vector<int64_t> v = n.has(key) ? int_param(g, n, key, -1).values : std::vector<int64_t>(size, fallback);
  if (v.size() != size)
    throw GraphError(describe(g, n) + ": attribute '" + key + "' has " + std::to_string(v.size()) +
                     " entries, expected " + std::to_string(size));
  for (int64_t x : v)
    if (x < min_value || x > kMaxWindowValue)
      throw GraphError(describe(g, n) + ": attribute '" + key + "' value " + std::to_string(x) + " must be in [" +
                       std::to_string(min_value) + ", " + std::to_string(kMaxWindowValue) + "]");
  return v;
}

WindowGeometry common_window(const Graph& g, const Node& n, const Shape& x, const Shape* w, bool transposed) {
  const std::string where = describe(g, n);
  if (x.size() < 3) throw GraphError(where + ": input must be [N, C, spatial...], got " + shape_string(x));
  const size_t ns = x.size() - 2;
  WindowGeometry geo;
  if (n.has("kernel_shape")) {
    geo.kernel = ints_attr(g, n, "kernel_shape", ns, 1, 1);
  } else if (w && w->size() == x.size()) {
    geo.kernel.assign(w->begin() + 2, w->end());
    for (int64_t k : geo.kernel)
      if (k > kMaxWindowValue) throw GraphError(where + ": kernel " + shape_string(*w) + " is too large");
  } else {
    throw GraphError(where + ": attribute 'kernel_shape' is required");
  }
  geo.strides = ints_attr(g, n, "strides", ns, 1, 1);
  geo.dilations = ints_attr(g, n, "dilations", ns, 1, 1);
  // Negative pads are not meaningful for windows; reject them rather than guess.
  geo.pads = ints_attr(g, n, "pads", 2 * ns, 0, 0);
  geo.output_padding = transposed ? ints_attr(g, n, "output_padding", ns, 0, 0) : std::vector<int64_t>(ns, 0);
  for (size_t i = 0; i < ns; ++i)
    if (geo.kernel[i] < 1) throw GraphError(where + ": kernel_shape must be positive");
  const std::string auto_pad = n.get_string("auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "VALID" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
    throw GraphError(where + ": unknown auto_pad '" + auto_pad + "'");
  return geo;
}

int64_t effective_kernel(const WindowGeometry& geo, size_t i) { return (geo.kernel[i] - 1) * geo.dilations[i] + 1; }

// Forward windows (Conv, pools): explicit or automatic pads, then output sizes.
void forward_output(const Graph& g, const Node& n, const Shape& x, WindowGeometry& geo, bool ceil_mode) {
  const std::string where = describe(g, n);
  const std::string auto_pad = n.get_string("auto_pad", "NOTSET");
  const size_t ns = geo.kernel.size();
  geo.output.assign(ns, 0);
  for (size_t i = 0; i < ns; ++i) {
    const int64_t in = x[2 + i], s = geo.strides[i], ek = effective_kernel(geo, i);
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const int64_t out = (in + s - 1) / s;
      const int64_t total = std::max<int64_t>(0, (out - 1) * s + ek - in);
      const int64_t small = total / 2, big = total - small;
      geo.pads[i] = auto_pad == "SAME_UPPER" ? small : big;
      geo.pads[i + ns] = auto_pad == "SAME_UPPER" ? big : small;
    } else if (auto_pad == "VALID") {
      geo.pads[i] = geo.pads[i + ns] = 0;
    }
    const int64_t span = in + geo.pads[i] + geo.pads[i + ns] - ek;
    if (span < 0)
      throw GraphError(where + ": window " + std::to_string(ek) + " is larger than the padded input " +
                       std::to_string(in + geo.pads[i] + geo.pads[i + ns]) + " on spatial axis " + std::to_string(i) +
                       " (input " + shape_string(x) + ")");
    int64_t out = span / s + 1;
    if (ceil_mode && span % s != 0) {
      ++out;
      // PyTorch's rule: the last window must start inside the input or its begin padding.
      if ((out - 1) * s >= in + geo.pads[i]) --out;
    }
    geo.output[i] = out;
  }
}

}  // namespace

WindowGeometry resolve_conv(const Graph& g, const Node& n, const Shape& x, const Shape& w) {
  const std::string where = describe(g, n);
  WindowGeometry geo = common_window(g, n, x, &w, false);
  if (w.size() != x.size())
    throw GraphError(where + ": weight " + shape_string(w) + " must have the rank of the input " + shape_string(x));
  const int64_t group = n.get_int("group", 1);
  if (group < 1 || x[1] % group != 0 || w[0] % group != 0)
    throw GraphError(where + ": group " + std::to_string(group) + " must divide input channels " +
                     std::to_string(x[1]) + " and output channels " + std::to_string(w[0]));
  if (w[1] * group != x[1])
    throw GraphError(where + ": weight " + shape_string(w) + " with group " + std::to_string(group) + " expects " +
                     std::to_string(w[1] * group) + " input channels, input is " + shape_string(x));
  for (size_t i = 0; i < geo.kernel.size(); ++i)
    if (geo.kernel[i] != w[2 + i]) throw GraphError(where + ": kernel_shape disagrees with weight " + shape_string(w));
  forward_output(g, n, x, geo, false);
  return geo;
}

WindowGeometry resolve_conv_transpose(const Graph& g, const Node& n, const Shape& x, const Shape& w) {
  const std::string where = describe(g, n);
  WindowGeometry geo = common_window(g, n, x, &w, true);
  if (w.size() != x.size())
    throw GraphError(where + ": weight " + shape_string(w) + " must have the rank of the input " + shape_string(x));
  const int64_t group = n.get_int("group", 1);
  if (group < 1 || x[1] % group != 0 || w[0] != x[1])
    throw GraphError(where + ": weight " + shape_string(w) + " with group " + std::to_string(group) +
                     " does not match input " + shape_string(x));
  for (size_t i = 0; i < geo.kernel.size(); ++i)
    if (geo.kernel[i] != w[2 + i]) throw GraphError(where + ": kernel_shape disagrees with weight " + shape_string(w));
  const size_t ns = geo.kernel.size();
  const std::string auto_pad = n.get_string("auto_pad", "NOTSET");
  std::vector<int64_t> requested = n.get_ints("output_shape");
  if (requested.size() == ns + 2) requested.erase(requested.begin(), requested.begin() + 2);
  if (!requested.empty() && requested.size() != ns)
    throw GraphError(where + ": output_shape has " + std::to_string(requested.size()) + " entries, expected " +
                     std::to_string(ns));
  geo.output.assign(ns, 0);
  for (size_t i = 0; i < ns; ++i) {
    const int64_t in = x[2 + i], s = geo.strides[i], ek = effective_kernel(geo, i);
    int64_t natural = 0;  // output size before pads
    if (__builtin_mul_overflow(s, in - 1, &natural) || natural > (int64_t{1} << 48))
      throw GraphError(where + ": output of input " + shape_string(x) + " with stride " + std::to_string(s) +
                       " is too large");
    natural += geo.output_padding[i] + ek;
    if (!requested.empty()) {
      const int64_t total = natural - requested[i];
      if (total < 0)
        throw GraphError(where + ": output_shape " + std::to_string(requested[i]) + " is larger than the " +
                         std::to_string(natural) + " the window can produce");
      // ONNX: SAME_UPPER puts the odd extra pad at the end, anything else at the start.
      geo.pads[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      geo.pads[i + ns] = total - geo.pads[i];
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      const int64_t total = std::max<int64_t>(0, ek - s);
      const int64_t small = total / 2, big = total - small;
      geo.pads[i] = auto_pad == "SAME_UPPER" ? small : big;
      geo.pads[i + ns] = auto_pad == "SAME_UPPER" ? big : small;
    } else if (auto_pad == "VALID") {
      geo.pads[i] = geo.pads[i + ns] = 0;
    }
    geo.output[i] = natural - geo.pads[i] - geo.pads[i + ns];
    if (geo.output[i] < 1)
      throw GraphError(where + ": output spatial size " + std::to_string(geo.output[i]) + " on axis " +
                       std::to_string(i) + " is not positive (input " + shape_string(x) + ")");
  }
  return geo;
}

WindowGeometry resolve_pool(const Graph& g, const Node& n, const Shape& x) {
  WindowGeometry geo = common_window(g, n, x, nullptr, false);
  forward_output(g, n, x, geo, n.get_int("ceil_mode", 0) != 0);
  return geo;
}

}  // namespace bespoke::ir
