// Sliding-window operators -> canonical 2-D form: explicit kernel_shape,
// strides, dilations and pads (auto_pad, output_shape and ceil_mode resolved
// with the shared ONNX semantics of ir/op_params.h). 1-D operators run as 2-D
// ones over a height-1 image between two Reshapes; 3-D ones are rejected.
#include "ir/op_params.h"
#include "onnx_import/legalize_rules.h"

namespace bespoke::onnx_import::detail {

namespace {

void require_nchw(const Rewriter& rw, const ir::Shape& x) {
  if (x.size() != 4) rw.fail("only 1-D and 2-D (NCHW) inputs are supported, input has shape " + ir::shape_string(x));
}

void require_positive_output(const Rewriter& rw, const ir::WindowGeometry& geo) {
  for (int64_t d : geo.output)
    if (d <= 0) rw.fail("the output would be empty (spatial size " + std::to_string(d) + ")");
}

void set_window_attrs(ir::Node& c, const ir::WindowGeometry& geo, const std::vector<int64_t>& pads) {
  c.attrs["kernel_shape"] = geo.kernel;
  c.attrs["strides"] = geo.strides;
  c.attrs["dilations"] = geo.dilations;
  c.attrs["pads"] = pads;
}

void check_bias(Rewriter& rw, int64_t channels) {
  if (!rw.has_input(2)) return;
  const ir::Shape b = rw.input_shape(2);
  if (b != ir::Shape{channels})
    rw.fail("bias has shape " + ir::shape_string(b) + ", expected [" + std::to_string(channels) + "]");
}

// The operands of Conv and ConvTranspose: NCHW input, 4-D weights, a positive group.
struct ConvOperands {
  ir::Shape x;
  ir::Shape w;
  int64_t group = 1;
};

ConvOperands conv_operands(Rewriter& rw) {
  ConvOperands o{rw.input_shape(0), rw.input_shape(1), rw.node().get_int("group", 1)};
  require_nchw(rw, o.x);
  if (o.w.size() != 4) rw.fail("weights must be 4-D, got " + ir::shape_string(o.w));
  if (o.group <= 0) rw.fail("group must be positive, got " + std::to_string(o.group));
  return o;
}

// Conv weights are [M, C / group, kH, kW]; ConvTranspose ones [C, M / group, kH, kW].
void require_input_channels(const Rewriter& rw, const ConvOperands& o, int64_t expected, bool divisible) {
  if (o.x[1] != expected || !divisible)
    rw.fail("input has " + std::to_string(o.x[1]) + " channels but weights " + ir::shape_string(o.w) + " with group " +
            std::to_string(o.group) + " expect " + std::to_string(expected));
}

void legalize_conv(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ConvOperands operands = conv_operands(rw);
  const auto& [x, w, group] = operands;
  require_input_channels(rw, operands, w[1] * group, w[0] % group == 0);
  check_bias(rw, w[0]);
  const ir::WindowGeometry geo = ir::resolve_conv(rw.graph(), n, x, w);
  require_positive_output(rw, geo);
  ir::Node c = rw.canonical("Conv");
  set_window_attrs(c, geo, geo.pads);
  c.attrs["group"] = group;
  rw.set_shape(n.outputs[0], {x[0], w[0], geo.output[0], geo.output[1]});
  rw.emit(std::move(c));
}

void legalize_conv_transpose(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ConvOperands operands = conv_operands(rw);
  const auto& [x, w, group] = operands;
  require_input_channels(rw, operands, w[0], w[0] % group == 0);
  const int64_t out_channels = w[1] * group;
  check_bias(rw, out_channels);
  const ir::WindowGeometry geo = ir::resolve_conv_transpose(rw.graph(), n, x, w);
  require_positive_output(rw, geo);
  for (int64_t p : geo.pads)
    if (p < 0) rw.fail("negative padding is not supported");
  ir::Node c = rw.canonical("ConvTranspose");
  set_window_attrs(c, geo, geo.pads);
  c.attrs["group"] = group;
  c.attrs["output_padding"] = geo.output_padding;
  rw.set_shape(n.outputs[0], {x[0], out_channels, geo.output[0], geo.output[1]});
  rw.emit(std::move(c));
}

// ceil_mode: the extra bottom/right padding under which floor-mode windows
// produce the ceil-mode output (zero when ceil_mode changes nothing).
std::vector<int64_t> ceil_overhang(const ir::WindowGeometry& geo, const ir::Shape& x) {
  const size_t dims = geo.kernel.size();
  std::vector<int64_t> extra(dims, 0);
  for (size_t i = 0; i < dims; ++i) {
    const int64_t span = (geo.kernel[i] - 1) * geo.dilations[i] + 1;
    const int64_t needed = (geo.output[i] - 1) * geo.strides[i] + span;
    const int64_t have = x[2 + i] + geo.pads[i] + geo.pads[dims + i];
    if (needed > have) extra[i] = needed - have;
  }
  return extra;
}

// Shared part of MaxPool / AveragePool. Returns the pads with the overhang
// added, and whether there was one.
std::vector<int64_t> pool_pads(Rewriter& rw, const ir::WindowGeometry& geo, const ir::Shape& x, bool* overhang) {
  std::vector<int64_t> pads = geo.pads;
  const auto extra = ceil_overhang(geo, x);
  *overhang = false;
  for (size_t i = 0; i < extra.size(); ++i) {
    pads[extra.size() + i] += extra[i];
    *overhang = *overhang || extra[i] > 0;
  }
  const ir::Node& n = rw.node();
  if (n.outputs.size() > 1 && rw.output_used(1)) rw.fail("the Indices output is not supported");
  return pads;
}

void legalize_max_pool(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  require_nchw(rw, x);
  const ir::WindowGeometry geo = ir::resolve_pool(rw.graph(), n, x);
  require_positive_output(rw, geo);
  bool overhang = false;
  const auto pads = pool_pads(rw, geo, x, &overhang);  // padding is -inf for max: always exact
  ir::Node c = rw.canonical("MaxPool");
  c.outputs.resize(1);
  set_window_attrs(c, geo, pads);
  rw.set_shape(n.outputs[0], {x[0], x[1], geo.output[0], geo.output[1]});
  rw.emit(std::move(c));
}

void legalize_average_pool(Rewriter& rw) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  require_nchw(rw, x);
  const ir::WindowGeometry geo = ir::resolve_pool(rw.graph(), n, x);
  require_positive_output(rw, geo);
  for (int64_t d : geo.dilations)
    if (d != 1) rw.fail("dilated average pooling is not supported");
  const int64_t count_include_pad = n.get_int("count_include_pad", 0);
  bool overhang = false;
  const auto pads = pool_pads(rw, geo, x, &overhang);
  // With count_include_pad the divisor counts explicit padding but not the
  // ceil_mode overhang, which explicit padding cannot express.
  if (overhang && count_include_pad != 0)
    rw.fail(
        "ceil_mode=1 with count_include_pad=1 cannot be expressed exactly (the ceil_mode overhang would be "
        "counted as padding)");
  ir::Node c = rw.canonical("AveragePool");
  set_window_attrs(c, geo, pads);
  c.attrs["count_include_pad"] = count_include_pad != 0 ? int64_t{1} : int64_t{0};
  rw.set_shape(n.outputs[0], {x[0], x[1], geo.output[0], geo.output[1]});
  rw.emit(std::move(c));
}

void legalize_global_average_pool(Rewriter& rw) {
  const ir::Shape x = rw.input_shape(0);
  require_nchw(rw, x);
  ir::Node c = rw.canonical("GlobalAveragePool");
  rw.set_shape(c.outputs[0], {x[0], x[1], 1, 1});
  rw.emit(std::move(c));
}

// The ONNX attributes of a 1-D window op, for the same op over [N, C, 1, L].
void lift_window_attrs(ir::Node& n) {
  auto prepend = [&n](const char* key, int64_t value) {
    if (!n.has(key)) return;
    std::vector<int64_t> v = n.get_ints(key);
    v.insert(v.begin(), value);
    n.attrs[key] = v;
  };
  prepend("kernel_shape", 1);
  prepend("strides", 1);
  prepend("dilations", 1);
  prepend("output_padding", 0);
  prepend("output_shape", 1);
  const std::vector<int64_t> pads = n.get_ints("pads");
  if (pads.size() == 2) n.attrs["pads"] = std::vector<int64_t>{0, pads[0], 0, pads[1]};
}

// Reshape [N,C,L] -> [N,C,1,L] (weights [M,C/g,k] -> [M,C/g,1,k]), the 2-D
// rule on a lifted copy of the node, Reshape back.
void lift_1d(Rewriter& rw, Rule rule_2d) {
  const ir::Node& n = rw.node();
  const ir::Shape x = rw.input_shape(0);
  const bool has_weights = n.op == "Conv" || n.op == "ConvTranspose";
  const ir::Shape w = has_weights ? rw.input_shape(1) : ir::Shape{};
  if (has_weights && w.size() != 3) rw.fail("a 1-D input needs 3-D weights, got " + ir::shape_string(w));

  ir::Node lifted = n;
  lift_window_attrs(lifted);
  lifted.inputs[0] = rw.add_value("input_2d", {x[0], x[1], 1, x[2]});
  rw.emit(rw.make("Reshape", {n.inputs[0]}, {lifted.inputs[0]}, "to_2d"));
  if (has_weights) {
    const ir::Shape w2d{w[0], w[1], 1, w[2]};
    const ir::ConstantPtr weights = rw.graph().values[static_cast<size_t>(n.inputs[1])].constant;
    if (weights) {
      ir::TensorData reshaped = *weights;
      reshaped.shape = w2d;
      lifted.inputs[1] = rw.add_constant("weights_2d", std::move(reshaped));
    } else {
      lifted.inputs[1] = rw.add_value("weights_2d", w2d);
      rw.emit(rw.make("Reshape", {n.inputs[1]}, {lifted.inputs[1]}, "weights_to_2d"));
    }
  }
  const int y2d = rw.add_value("output_2d", {});
  rw.graph().values[static_cast<size_t>(y2d)].shape.reset();  // the 2-D rule computes it
  lifted.outputs[0] = y2d;

  Rewriter inner(rw.graph(), lifted, rw.opset());
  rule_2d(inner);
  for (ir::Node& m : inner.take_emitted()) rw.emit(std::move(m));
  ir::Shape y = *rw.graph().values[static_cast<size_t>(y2d)].shape;
  y.erase(y.begin() + 2);
  rw.set_shape(n.outputs[0], y);
  rw.emit(rw.make("Reshape", {y2d}, {n.outputs[0]}, "from_2d"));
}

template <Rule rule_2d>
void legalize_1d_or_2d(Rewriter& rw) {
  if (rw.input_shape(0).size() == 3)
    lift_1d(rw, rule_2d);
  else
    rule_2d(rw);
}

}  // namespace

void add_window_rules(RuleTable& rules) {
  rules["Conv"] = legalize_1d_or_2d<legalize_conv>;
  rules["ConvTranspose"] = legalize_1d_or_2d<legalize_conv_transpose>;
  rules["MaxPool"] = legalize_1d_or_2d<legalize_max_pool>;
  rules["AveragePool"] = legalize_1d_or_2d<legalize_average_pool>;
  rules["GlobalAveragePool"] = legalize_1d_or_2d<legalize_global_average_pool>;
}

}  // namespace bespoke::onnx_import::detail
