// Shape and layout operators -> canonical form: the Reshape family collapses
// into Reshape (target = output shape), and axes / pads / slice bounds become
// explicit, non-negative, full-rank attributes.
#include <algorithm>
#include <numeric>

#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

namespace {

std::string where(Rewriter& rw) { return ir::describe(rw.graph(), rw.node()); }

int64_t product(const ir::Shape& s, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end; ++i) p *= s[i];
  return p;
}

// ONNX Reshape: 0 copies the input dim (unless allowzero), -1 is inferred.
ir::Shape reshape_target(Rewriter& rw, const ir::Shape& x) {
  const auto spec = rw.int_param("shape", 1);
  if (!spec) rw.fail("the target shape is missing");
  const bool allow_zero = rw.node().get_int("allowzero", 0) != 0;
  ir::Shape y;
  int inferred = -1;
  for (size_t i = 0; i < spec->size(); ++i) {
    int64_t d = (*spec)[i];
    if (d == 0 && !allow_zero) {
      if (i >= x.size()) rw.fail("target shape copies dim " + std::to_string(i) + " the input does not have");
      d = x[i];
    } else if (d == -1) {
      if (inferred >= 0) rw.fail("more than one -1 in the target shape");
      inferred = static_cast<int>(i);
      d = 1;
    } else if (d < 0) {
      rw.fail("invalid target dim " + std::to_string(d));
    }
    y.push_back(d);
  }
  const int64_t total = ir::shape_elements(x);
  const int64_t known = ir::shape_elements(y);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      rw.fail("cannot reshape " + ir::shape_string(x) + " to " + ir::shape_string(*spec));
    y[static_cast<size_t>(inferred)] = total / known;
  }
  if (ir::shape_elements(y) != total) rw.fail("cannot reshape " + ir::shape_string(x) + " to " + ir::shape_string(y));
  return y;
}

ir::Shape flatten_target(Rewriter& rw, const ir::Shape& x) {
  const auto rank = static_cast<int64_t>(x.size());
  int64_t axis = rw.node().get_int("axis", 1);
  if (axis < -rank || axis > rank) rw.fail("axis " + std::to_string(axis) + " out of range");
  if (axis < 0) axis += rank;
  const auto split = static_cast<size_t>(axis);
  return {product(x, 0, split), product(x, split, x.size())};
}

ir::Shape squeeze_target(Rewriter& rw, const ir::Shape& x) {
  const auto axes_param = rw.int_param("axes", 1);
  std::vector<bool> drop(x.size(), false);
  if (!axes_param) {
    for (size_t i = 0; i < x.size(); ++i) drop[i] = x[i] == 1;
  } else {
    for (int64_t a : ir::normalize_axes(*axes_param, static_cast<int64_t>(x.size()), where(rw))) {
      if (x[static_cast<size_t>(a)] != 1)
        rw.fail("cannot squeeze axis " + std::to_string(a) + " of shape " + ir::shape_string(x));
      drop[static_cast<size_t>(a)] = true;
    }
  }
  ir::Shape y;
  for (size_t i = 0; i < x.size(); ++i)
    if (!drop[i]) y.push_back(x[i]);
  return y;
}

ir::Shape unsqueeze_target(Rewriter& rw, const ir::Shape& x) {
  const auto axes_param = rw.int_param("axes", 1);
  if (!axes_param) rw.fail("axes are missing");
  const auto rank = static_cast<int64_t>(x.size() + axes_param->size());
  std::vector<bool> inserted(static_cast<size_t>(rank), false);
  for (int64_t a : ir::normalize_axes(*axes_param, rank, where(rw))) {
    if (inserted[static_cast<size_t>(a)]) rw.fail("axis " + std::to_string(a) + " is repeated");
    inserted[static_cast<size_t>(a)] = true;
  }
  ir::Shape y;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i) y.push_back(inserted[static_cast<size_t>(i)] ? 1 : x[next++]);
  return y;
}

void legalize_reshape_family(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  ir::Shape y;
  if (n.op == "Reshape")
    y = reshape_target(rw, x);
  else if (n.op == "Flatten")
    y = flatten_target(rw, x);
  else if (n.op == "Squeeze")
    y = squeeze_target(rw, x);
  else
    y = unsqueeze_target(rw, x);
  ir::Node c = rw.canonical("Reshape");
  c.inputs.resize(1);
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

void legalize_transpose(Rewriter& rw) {
  const ir::Shape x = rw.input_shape(0);
  std::vector<int64_t> identity(x.size());
  std::iota(identity.begin(), identity.end(), 0);
  std::vector<int64_t> reversed(identity.rbegin(), identity.rend());
  const std::vector<int64_t> perm = rw.node().get_ints("perm", reversed);
  if (!std::is_permutation(perm.begin(), perm.end(), identity.begin(), identity.end()))
    rw.fail("perm is not a permutation of the " + std::to_string(x.size()) + " input axes");
  ir::Shape y;
  for (int64_t p : perm) y.push_back(x[static_cast<size_t>(p)]);
  ir::Node c = rw.canonical("Transpose");
  c.attrs["perm"] = perm;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

void legalize_concat(Rewriter& rw) {
  const ir::Node& n = rw.node();
  if (n.inputs.empty()) rw.fail("no inputs");
  ir::Shape y = rw.input_shape(0);
  const int64_t axis = ir::normalize_axis(n.get_int("axis", 0), static_cast<int64_t>(y.size()), where(rw));
  const auto a = static_cast<size_t>(axis);
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    const ir::Shape s = rw.input_shape(i);
    bool compatible = s.size() == y.size();
    for (size_t d = 0; compatible && d < s.size(); ++d) compatible = d == a || s[d] == y[d];
    if (!compatible)
      rw.fail("inputs " + ir::shape_string(rw.input_shape(0)) + " and " + ir::shape_string(s) +
              " cannot be concatenated along axis " + std::to_string(axis));
    y[a] += s[a];
  }
  ir::Node c = rw.canonical("Concat");
  c.attrs["axis"] = axis;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

void legalize_split(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  const int64_t axis = ir::normalize_axis(n.get_int("axis", 0), static_cast<int64_t>(x.size()), where(rw));
  const int64_t dim = x[static_cast<size_t>(axis)];
  const auto parts = static_cast<int64_t>(n.outputs.size());
  std::vector<int64_t> sizes;
  if (auto given = rw.int_param("split", 1)) {
    sizes = *given;
  } else {
    if (dim % parts != 0)
      rw.fail("axis " + std::to_string(axis) + " of size " + std::to_string(dim) + " does not split into " +
              std::to_string(parts) + " equal parts");
    sizes.assign(static_cast<size_t>(parts), dim / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    rw.fail(std::to_string(sizes.size()) + " split sizes for " + std::to_string(parts) + " outputs");
  if (std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != dim ||
      std::any_of(sizes.begin(), sizes.end(), [](int64_t s) { return s <= 0; }))
    rw.fail("split sizes do not add up to the axis size " + std::to_string(dim) + " in positive parts");
  ir::Node c = rw.canonical("Split");
  c.inputs.resize(1);
  c.attrs["axis"] = axis;
  c.attrs["split"] = sizes;
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    ir::Shape y = x;
    y[static_cast<size_t>(axis)] = sizes[i];
    rw.set_shape(n.outputs[i], y);
  }
  rw.emit(std::move(c));
}

// Opset 9 passes starts/ends/axes as attributes, later opsets as inputs 1..4.
void legalize_slice(Rewriter& rw) {
  const ir::Shape x = rw.input_shape(0);
  const auto starts = rw.int_param("starts", 1);
  const auto ends = rw.int_param("ends", 2);
  if (!starts || !ends) rw.fail("starts and ends are required");
  const auto axes = rw.int_param("axes", 3);
  const auto steps = rw.int_param("steps", 4);
  const auto dims = ir::resolve_slice(x, *starts, *ends, axes.value_or(std::vector<int64_t>{}),
                                      steps.value_or(std::vector<int64_t>{}), where(rw));
  std::vector<int64_t> begin, end, stride;
  ir::Shape y;
  for (size_t i = 0; i < dims.size(); ++i) {
    const auto& d = dims[i];
    if (d.step <= 0) rw.fail("negative steps (reversal) are not supported");
    if (d.count <= 0) rw.fail("the slice of axis " + std::to_string(i) + " is empty");
    begin.push_back(d.start);
    end.push_back(std::min(x[i], d.start + d.count * d.step));
    stride.push_back(d.step);
    y.push_back(d.count);
  }
  ir::Node c = rw.canonical("Slice");
  c.inputs.resize(1);
  c.attrs["starts"] = begin;
  c.attrs["ends"] = end;
  c.attrs["steps"] = stride;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

// Pads are an attribute before opset 11 ("pads", with "value") and inputs
// after (pads, constant_value).
void legalize_pad(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const std::string mode = n.get_string("mode", "constant");
  if (mode != "constant") rw.fail("mode '" + mode + "' is not supported (only 'constant')");
  const ir::Shape x = rw.input_shape(0);
  const bool as_inputs = rw.opset() >= 11;
  const auto pads = rw.int_param("pads", as_inputs ? 1 : -1);
  if (!pads) rw.fail("pads are missing");
  if (pads->size() != 2 * x.size())
    rw.fail(std::to_string(pads->size()) + " pads for an input of rank " + std::to_string(x.size()));
  double value = 0.0;
  if (auto v = rw.float_param("value", as_inputs ? 2 : -1)) {
    if (v->size() != 1) rw.fail("the pad value must be a scalar");
    value = (*v)[0];
  }
  ir::Shape y = x;
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t before = (*pads)[i], after = (*pads)[i + x.size()];
    if (before < 0 || after < 0) rw.fail("negative pads (cropping) are not supported");
    y[i] += before + after;
  }
  ir::Node c = rw.canonical("Pad");
  c.inputs.resize(1);
  c.attrs["pads"] = *pads;
  c.attrs["value"] = value;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

void legalize_reduce_mean(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  const auto rank = static_cast<int64_t>(x.size());
  const auto given = rw.int_param("axes", rw.opset() >= 18 ? 1 : -1);
  std::vector<int64_t> axes;
  if (given && !given->empty()) {
    axes = ir::normalize_axes(*given, rank, where(rw));
  } else {
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  const int64_t keepdims = n.get_int("keepdims", 1) != 0 ? 1 : 0;
  ir::Shape y;
  for (int64_t i = 0; i < rank; ++i) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), i);
    if (!reduced)
      y.push_back(x[static_cast<size_t>(i)]);
    else if (keepdims)
      y.push_back(1);
  }
  ir::Node c = rw.canonical("ReduceMean");
  c.inputs.resize(1);
  c.attrs["axes"] = axes;
  c.attrs["keepdims"] = keepdims;
  rw.set_shape(c.outputs[0], y);
  rw.emit(std::move(c));
}

}  // namespace

void add_layout_rules(RuleTable& rules) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze"}) rules[op] = legalize_reshape_family;
  rules["Transpose"] = legalize_transpose;
  rules["Concat"] = legalize_concat;
  rules["Split"] = legalize_split;
  rules["Slice"] = legalize_slice;
  rules["Pad"] = legalize_pad;
  rules["ReduceMean"] = legalize_reduce_mean;
}

}  // namespace bespoke::onnx_import::detail
