// Shape rules of the data-movement and shape-arithmetic ops: Shape, Reshape,
// Flatten, (Un)Squeeze, Transpose, Concat, Split, Slice, Pad, Gather, Expand,
// Tile, ConstantOfShape, Range, reductions.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ir/op_params.h"
#include "ir/shape_inference.h"

namespace bespoke::ir {

namespace {

// Product of dims [from, to), failing on overflow (untrusted shapes).
int64_t product(const ShapeQuery& q, const Shape& s, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to; ++i) {
    if (s[i] != 0 && p > std::numeric_limits<int64_t>::max() / s[i]) q.fail("element count overflows");
    p *= s[i];
  }
  return p;
}

Outputs shape_of(const ShapeQuery& q) {
  const int64_t rank = q.rank(0);
  int64_t start = q.n.get_int("start", 0), end = q.n.get_int("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
  return {{Shape{std::max<int64_t>(0, end - start)}, DType::kI64}};
}

Outputs size_of(const ShapeQuery&) { return {{Shape{}, DType::kI64}}; }

Outputs reshape(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  if (!q.present(1)) {  // canonical: the target is the output value's own shape
    const Value& y = q.g.values[static_cast<size_t>(q.n.outputs.at(0))];
    if (y.shape && product(q, *y.shape, 0, y.shape->size()) != product(q, x, 0, x.size()))
      q.fail("target " + shape_string(*y.shape) + " has a different element count");
    return {{std::nullopt, q.dtype(0)}};
  }
  const Param<int64_t> target = int_input(q.g, q.n, 1);
  if (!target.known()) return {{std::nullopt, q.dtype(0)}};
  const bool allowzero = q.n.get_int("allowzero", 0) != 0;
  Shape y(target.values.size());
  int inferred = -1;
  for (size_t i = 0; i < y.size(); ++i) {
    const int64_t d = target.values[i];
    if (d == 0 && !allowzero) {
      if (i >= x.size())
        q.fail("target dim " + std::to_string(i) + " is 0 (copy) but the input has rank " + std::to_string(x.size()));
      y[i] = x[i];
    } else if (d == -1) {
      if (inferred >= 0) q.fail("target shape has more than one -1");
      inferred = static_cast<int>(i);
      y[i] = 1;
    } else if (d < 0) {
      q.fail("invalid target dim " + std::to_string(d));
    } else {
      y[i] = d;
    }
  }
  const int64_t total = product(q, x, 0, x.size()), known = product(q, y, 0, y.size());
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) q.fail("cannot infer the -1 of target " + shape_string(target.values));
    y[static_cast<size_t>(inferred)] = total / known;
  } else if (known != total) {
    q.fail("target " + shape_string(target.values) + " has " + std::to_string(known) + " elements, input has " +
           std::to_string(total));
  }
  return {{y, q.dtype(0)}};
}

Outputs flatten(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const int64_t rank = q.rank(0);
  int64_t axis = q.n.get_int("axis", 1);
  if (axis < -rank || axis > rank) q.fail("axis " + std::to_string(axis) + " out of range");
  if (axis < 0) axis += rank;
  const auto a = static_cast<size_t>(axis);
  return {{Shape{product(q, x, 0, a), product(q, x, a, x.size())}, q.dtype(0)}};
}

Outputs squeeze(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const Param<int64_t> axes = int_param(q.g, q.n, "axes", 1);
  if (axes.pending()) return {{std::nullopt, q.dtype(0)}};
  std::vector<bool> drop(x.size(), false);
  if (axes.absent() || axes.values.empty()) {
    for (size_t d = 0; d < x.size(); ++d) drop[d] = x[d] == 1;
  } else {
    for (int64_t a : normalize_axes(axes.values, q.rank(0), q.where)) {
      if (x[static_cast<size_t>(a)] != 1)
        q.fail("cannot squeeze axis " + std::to_string(a) + " of size " + std::to_string(x[static_cast<size_t>(a)]));
      drop[static_cast<size_t>(a)] = true;
    }
  }
  Shape y;
  for (size_t d = 0; d < x.size(); ++d)
    if (!drop[d]) y.push_back(x[d]);
  return {{y, q.dtype(0)}};
}

Outputs unsqueeze(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const Param<int64_t> axes = int_param(q.g, q.n, "axes", 1);
  if (axes.pending()) return {{std::nullopt, q.dtype(0)}};
  if (axes.absent()) q.fail("axes are required");
  const int64_t rank = q.rank(0) + static_cast<int64_t>(axes.values.size());
  const std::vector<int64_t> where = normalize_axes(axes.values, rank, q.where);
  Shape y;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (std::find(where.begin(), where.end(), d) != where.end())
      y.push_back(1);
    else
      y.push_back(x[next++]);
  }
  return {{y, q.dtype(0)}};
}

Outputs transpose(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  std::vector<int64_t> perm = q.n.get_ints("perm");
  if (perm.empty())
    for (int64_t d = q.rank(0) - 1; d >= 0; --d) perm.push_back(d);
  if (perm.size() != x.size()) q.fail("perm " + shape_string(perm) + " does not match the rank");
  std::vector<bool> used(x.size(), false);
  Shape y;
  for (int64_t p : perm) {
    if (p < 0 || p >= q.rank(0) || used[static_cast<size_t>(p)])
      q.fail("perm " + shape_string(perm) + " is not a permutation");
    used[static_cast<size_t>(p)] = true;
    y.push_back(x[static_cast<size_t>(p)]);
  }
  return {{y, q.dtype(0)}};
}

Outputs concat(const ShapeQuery& q) {
  if (!q.present(0)) q.fail("needs inputs");
  if (!q.n.has("axis")) q.fail("attribute 'axis' is required");
  Shape y = q.shape(0);
  const auto axis = static_cast<size_t>(normalize_axis(q.n.get_int("axis", 0), q.rank(0), q.where));
  for (size_t i = 1; i < q.n.inputs.size(); ++i) {
    if (!q.present(i)) continue;
    const Shape& s = q.shape(i);
    bool ok = s.size() == y.size();
    for (size_t d = 0; ok && d < s.size(); ++d) ok = d == axis || s[d] == y[d];
    if (!ok)
      q.fail("input " + std::to_string(i) + " " + shape_string(s) + " does not match " + shape_string(q.shape(0)) +
             " outside axis " + std::to_string(axis));
    y[axis] += s[axis];
  }
  return {{y, q.dtype(0)}};
}

Outputs split(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const auto axis = static_cast<size_t>(normalize_axis(q.n.get_int("axis", 0), q.rank(0), q.where));
  const size_t parts = q.n.outputs.size();
  const Param<int64_t> sizes = int_param(q.g, q.n, "split", 1);
  if (sizes.pending()) return {};
  std::vector<int64_t> split = sizes.values;
  if (sizes.absent() || split.empty()) {
    const int64_t chunk = parts ? (x[axis] + static_cast<int64_t>(parts) - 1) / static_cast<int64_t>(parts) : 0;
    if (parts == 0 || (x[axis] % static_cast<int64_t>(parts) != 0 && !q.n.has("num_outputs")))
      q.fail("axis size " + std::to_string(x[axis]) + " does not split into " + std::to_string(parts) + " equal parts");
    for (size_t i = 0; i < parts; ++i)
      split.push_back(std::min(chunk, x[axis] - chunk * static_cast<int64_t>(i)));  // opset 18: last part smaller
  }
  if (split.size() != parts)
    q.fail("split has " + std::to_string(split.size()) + " sizes for " + std::to_string(parts) + " outputs");
  int64_t total = 0;
  for (int64_t s : split) {
    if (s < 0) q.fail("negative split size");
    total += s;
  }
  if (total != x[axis]) q.fail("split sizes " + shape_string(split) + " do not add up to " + std::to_string(x[axis]));
  Outputs out;
  for (int64_t s : split) {
    Shape y = x;
    y[axis] = s;
    out.push_back({y, q.dtype(0)});
  }
  return out;
}

Outputs slice(const ShapeQuery& q) {
  const Param<int64_t> starts = int_param(q.g, q.n, "starts", 1), ends = int_param(q.g, q.n, "ends", 2);
  const Param<int64_t> axes = int_param(q.g, q.n, "axes", 3), steps = int_param(q.g, q.n, "steps", 4);
  if (starts.pending() || ends.pending() || axes.pending() || steps.pending()) return {{std::nullopt, q.dtype(0)}};
  if (!starts.known() || !ends.known()) q.fail("starts and ends are required");
  Shape y;
  for (const SliceDim& d : resolve_slice(q.shape(0), starts.values, ends.values, axes.values, steps.values, q.where))
    y.push_back(d.count);
  return {{y, q.dtype(0)}};
}

Outputs pad(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const Param<int64_t> pads = int_param(q.g, q.n, "pads", 1);
  const Param<int64_t> axes = int_input(q.g, q.n, 3);
  if (pads.pending() || axes.pending()) return {{std::nullopt, q.dtype(0)}};
  if (pads.absent()) q.fail("pads are required");
  std::vector<int64_t> which;
  if (axes.known())
    which = normalize_axes(axes.values, q.rank(0), q.where);
  else
    for (size_t d = 0; d < x.size(); ++d) which.push_back(static_cast<int64_t>(d));
  if (pads.values.size() != 2 * which.size())
    q.fail("pads has " + std::to_string(pads.values.size()) + " entries, expected " + std::to_string(2 * which.size()));
  Shape y = x;
  constexpr int64_t kMaxPad = int64_t{1} << 40;
  for (int64_t p : pads.values)
    if (p < -kMaxPad || p > kMaxPad) q.fail("pad " + std::to_string(p) + " is out of range");
  for (size_t i = 0; i < which.size(); ++i) {
    int64_t& d = y[static_cast<size_t>(which[i])];
    d += pads.values[i] + pads.values[i + which.size()];
    if (d < 0) q.fail("pads " + shape_string(pads.values) + " remove more than the whole axis");
  }
  return {{y, q.dtype(0)}};
}

Outputs gather(const ShapeQuery& q) {
  const Shape &x = q.shape(0), &idx = q.shape(1);
  const auto axis = static_cast<size_t>(normalize_axis(q.n.get_int("axis", 0), q.rank(0), q.where));
  Shape y(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(axis));
  y.insert(y.end(), idx.begin(), idx.end());
  y.insert(y.end(), x.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.end());
  return {{y, q.dtype(0)}};
}

Outputs gather_elements(const ShapeQuery& q) {
  if (q.rank(0) != q.rank(1)) q.fail("indices must have the rank of the data");
  return {{q.shape(1), q.dtype(0)}};
}

// A known shape-valued input (non-negative dims), or nullopt while pending.
std::optional<Shape> shape_input(const ShapeQuery& q, int input) {
  const Param<int64_t> p = int_input(q.g, q.n, input);
  if (!p.known()) return std::nullopt;
  for (int64_t d : p.values)
    if (d < 0) q.fail("shape input " + shape_string(p.values) + " has a negative dimension");
  return p.values;
}

Outputs constant_of_shape(const ShapeQuery& q) {
  // The importer gives the one-element `value` tensor as an int64 or double
  // attribute (optionally with its ONNX element type in "dtype").
  DType dtype = DType::kF32;
  auto it = q.n.attrs.find("value");
  if (it != q.n.attrs.end() &&
      (std::holds_alternative<int64_t>(it->second) || std::holds_alternative<std::vector<int64_t>>(it->second)))
    dtype = DType::kI64;
  if (q.n.has("dtype")) {
    auto d = dtype_from_onnx(q.n.get_int("dtype", 1));
    if (!d) q.fail("unsupported value type " + std::to_string(q.n.get_int("dtype", 1)));
    dtype = *d;
  }
  return {{shape_input(q, 0), dtype}};
}

Outputs expand(const ShapeQuery& q) {
  const auto target = shape_input(q, 1);
  if (!target) return {{std::nullopt, q.dtype(0)}};
  auto y = broadcast_shapes(q.shape(0), *target);
  if (!y) q.fail("cannot expand to " + shape_string(*target));
  return {{y, q.dtype(0)}};
}

Outputs tile(const ShapeQuery& q) {
  const Param<int64_t> repeats = int_input(q.g, q.n, 1);
  if (!repeats.known()) return {{std::nullopt, q.dtype(0)}};
  Shape y = q.shape(0);
  if (repeats.values.size() != y.size()) q.fail("repeats must have one entry per dimension");
  for (size_t d = 0; d < y.size(); ++d) {
    if (repeats.values[d] < 0) q.fail("negative repeat");
    if (__builtin_mul_overflow(y[d], repeats.values[d], &y[d])) q.fail("repeats overflow the dimension");
  }
  return {{y, q.dtype(0)}};
}

Outputs range(const ShapeQuery& q) {
  const Param<double> start = float_input(q.g, q.n, 0), limit = float_input(q.g, q.n, 1),
                      delta = float_input(q.g, q.n, 2);
  if (!start.known() || !limit.known() || !delta.known()) return {{std::nullopt, q.dtype(0)}};
  if (start.values.size() != 1 || limit.values.size() != 1 || delta.values.size() != 1)
    q.fail("inputs must be scalars");
  if (delta.values[0] == 0) q.fail("delta is 0");
  const double count = std::ceil((limit.values[0] - start.values[0]) / delta.values[0]);
  if (!(count < 9.0e15)) q.fail("range is too long");
  return {{Shape{static_cast<int64_t>(std::max(0.0, count))}, q.dtype(0)}};
}

Outputs reduce(const ShapeQuery& q) {
  const Shape& x = q.shape(0);
  const Param<int64_t> axes = int_param(q.g, q.n, "axes", 1);
  if (axes.pending()) return {{std::nullopt, q.dtype(0)}};
  const bool keep = q.n.get_int("keepdims", 1) != 0;
  std::vector<bool> reduced(x.size(), false);
  if (axes.values.empty()) {
    if (q.n.get_int("noop_with_empty_axes", 0) != 0) return {{x, q.dtype(0)}};
    reduced.assign(x.size(), true);
  } else {
    for (int64_t a : normalize_axes(axes.values, q.rank(0), q.where)) reduced[static_cast<size_t>(a)] = true;
  }
  Shape y;
  for (size_t d = 0; d < x.size(); ++d) {
    if (!reduced[d])
      y.push_back(x[d]);
    else if (keep)
      y.push_back(1);
  }
  return {{y, q.dtype(0)}};
}

Outputs arg_reduce(const ShapeQuery& q) {
  Shape y = q.shape(0);
  const auto axis = static_cast<size_t>(normalize_axis(q.n.get_int("axis", 0), q.rank(0), q.where));
  if (q.n.get_int("keepdims", 1) != 0)
    y[axis] = 1;
  else
    y.erase(y.begin() + static_cast<std::ptrdiff_t>(axis));
  return {{y, DType::kI64}};
}

}  // namespace

void add_tensor_shape_rules(ShapeRuleTable& t) {
  t["Shape"] = shape_of;
  t["Size"] = size_of;
  t["Reshape"] = reshape;
  t["Flatten"] = flatten;
  t["Squeeze"] = squeeze;
  t["Unsqueeze"] = unsqueeze;
  t["Transpose"] = transpose;
  t["Concat"] = concat;
  t["Split"] = split;
  t["Slice"] = slice;
  t["Pad"] = pad;
  t["Gather"] = gather;
  t["GatherElements"] = gather_elements;
  t["ConstantOfShape"] = constant_of_shape;
  t["Expand"] = expand;
  t["Tile"] = tile;
  t["Range"] = range;
  for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                         "ReduceLogSumExp", "ReduceSumSquare"})
    t[op] = reduce;
  for (const char* op : {"ArgMax", "ArgMin"}) t[op] = arg_reduce;
}

}  // namespace bespoke::ir
