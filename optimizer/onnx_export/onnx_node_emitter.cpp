#include "onnx_export/onnx_node_emitter.h"

#include <cstring>

#include "export/canonical_attrs.h"

namespace bespoke::onnx_export {

// The writers' shared, strict reading of canonical attributes (export/).
using exporter::CanonicalAttrs;
using exporter::FusedActivationAttrs;
using exporter::kCoordinateTransforms;
using exporter::kNearestModes;
using exporter::kResizeModes;
using exporter::read_fused_activation;

namespace {

using Ints = std::vector<int64_t>;
using Kind = FusedActivationAttrs::Kind;

// W [N, K] -> W^T [K, N], any element size.
ir::TensorData transpose_2d(const ir::TensorData& w) {
  const size_t rows = static_cast<size_t>(w.shape[0]), cols = static_cast<size_t>(w.shape[1]);
  const size_t es = ir::dtype_size(w.dtype);
  ir::TensorData t;
  t.dtype = w.dtype;
  t.shape = {w.shape[1], w.shape[0]};
  t.bytes.resize(w.bytes.size());
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) std::memcpy(&t.bytes[(c * rows + r) * es], &w.bytes[(r * cols + c) * es], es);
  return t;
}

class NodeEmitter {
 public:
  NodeEmitter(OnnxGraphBuilder& b, const ir::Graph& g, size_t index, const std::vector<std::string>& names, int opset)
      : b_(b), g_(g), n_(g.nodes[index]), a_(n_, index), names_(names), opset_(opset) {}

  void emit() {
    const std::string& op = n_.op;
    if (op == "Conv" || op == "ConvTranspose")
      conv();
    else if (op == "FullyConnected")
      fully_connected();
    else if (op == "MaxPool" || op == "AveragePool")
      pool();
    else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
      with_activation(op, {in(0), in(1)}, [](auto&) {});
    else if (op == "GlobalAveragePool" || op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "Sqrt")
      single(op, {in(0)});
    else if (op == "MatMul")
      single(op, {in(0), in(1)});
    else if (op == "HardSwish")
      hard_swish();
    else if (op == "SiLU")
      gated(b_.add_node("Sigmoid", {in(0)}, {fresh("sigmoid")}, n_.name + "/sigmoid"));
    else if (op == "Clip")
      clip();
    else if (op == "LeakyRelu")
      set(single(op, {in(0)}), "alpha", static_cast<float>(a_.real("alpha")));
    else if (op == "HardSigmoid")
      hard_sigmoid();
    else if (op == "Softmax" || op == "Concat")
      set(single(op, inputs()), "axis", a_.integer("axis"));
    else if (op == "Reshape")
      single(op, {in(0), b_.add_int64s(out(0) + "_shape", shape(n_.outputs[0]))});
    else if (op == "Transpose")
      set(single(op, {in(0)}), "perm", a_.ints("perm"));
    else if (op == "Pad")
      pad();
    else if (op == "Resize")
      resize();
    else if (op == "ChannelShuffle")
      channel_shuffle();
    else if (op == "ReduceMean")
      reduce_mean();
    else if (op == "Slice")
      slice();
    else if (op == "Split")
      split();
    else if (op == "BatchNormalization")
      set(single(op, inputs()), "epsilon", static_cast<float>(a_.real("epsilon")));
    else
      a_.fail("no ONNX mapping");
    a_.reject_unread();
  }

 private:
  std::string in(size_t i) const { return n_.input(i) >= 0 ? names_[static_cast<size_t>(n_.inputs[i])] : ""; }
  std::string out(size_t i) const { return names_[static_cast<size_t>(n_.outputs[i])]; }
  std::vector<std::string> inputs() const {
    std::vector<std::string> v;
    for (size_t i = 0; i < n_.inputs.size(); ++i) v.push_back(in(i));
    return v;
  }
  std::vector<std::string> outputs() const {
    std::vector<std::string> v;
    for (size_t i = 0; i < n_.outputs.size(); ++i) v.push_back(out(i));
    return v;
  }
  const ir::Shape& shape(int value) const { return g_.shape_of(value); }
  std::string fresh(const std::string& suffix) { return b_.unique_value_name(out(0) + "_" + suffix); }
  template <typename T>
  static onnx::NodeProto& set(onnx::NodeProto& n, const std::string& key, T v) {
    OnnxGraphBuilder::set_attr(n, key, v);
    return n;
  }

  // The node itself, one ONNX node writing every output.
  onnx::NodeProto& single(const std::string& op_type, const std::vector<std::string>& ins) {
    return b_.add_node(op_type, ins, outputs(), n_.name);
  }

  // op_type writing to an intermediate when a fused activation follows; `attrs`
  // sets the main node's attributes.
  template <typename SetAttrs>
  void with_activation(const std::string& op_type, const std::vector<std::string>& ins, SetAttrs attrs) {
    FusedActivationAttrs act = read_fused_activation(a_);
    std::string target = act.kind == Kind::kNone ? out(0) : fresh("pre_act");
    attrs(b_.add_node(op_type, ins, {target}, n_.name));
    if (act.kind == Kind::kRelu) {
      b_.add_node("Relu", {target}, {out(0)}, n_.name + "/relu");
    } else if (act.kind == Kind::kClip) {
      b_.add_node("Clip",
                  {target, b_.add_scalar(out(0) + "_min", ir::DType::kF32, act.min),
                   b_.add_scalar(out(0) + "_max", ir::DType::kF32, act.max)},
                  {out(0)}, n_.name + "/clip");
    }
  }

  // y = x * gate(x), gate already emitted into its own output.
  void gated(const onnx::NodeProto& gate) { b_.add_node("Mul", {in(0), gate.output(0)}, {out(0)}, n_.name); }

  void window(onnx::NodeProto& node, bool with_dilations) {
    set(node, "kernel_shape", a_.ints("kernel_shape", 2));
    set(node, "strides", a_.ints("strides", 2));
    Ints dilations = a_.ints("dilations", 2);
    if (with_dilations) {
      set(node, "dilations", dilations);
    } else if (dilations != Ints{1, 1}) {
      a_.fail("AveragePool with dilations has no ONNX form before opset 19");
    }
    set(node, "pads", a_.ints("pads", 4));  // (top, left, bottom, right) is ONNX's begins-then-ends order
  }

  void conv() {
    with_activation(n_.op, inputs(), [&](onnx::NodeProto& node) {
      window(node, true);
      set(node, "group", a_.integer("group"));
      if (n_.op == "ConvTranspose") set(node, "output_padding", a_.ints("output_padding", 2));
    });
  }

  void fully_connected() {
    const ir::TensorData& w = *g_.values[static_cast<size_t>(n_.inputs[1])].constant;
    if (w.shape.size() != 2) a_.fail("weight must be 2-D [N, K], is " + ir::shape_string(w.shape));
    if (shape(n_.inputs[0]).size() == 2) {
      with_activation("Gemm", inputs(), [](onnx::NodeProto& node) { set(node, "transB", int64_t{1}); });
      return;
    }
    std::string wt = b_.add_initializer(b_.unique_value_name(in(1) + "_T"), transpose_2d(w));
    if (n_.input(2) < 0) {
      with_activation("MatMul", {in(0), wt}, [](auto&) {});
      return;
    }
    std::string product = fresh("matmul");
    b_.add_node("MatMul", {in(0), wt}, {product}, n_.name + "/matmul");
    with_activation("Add", {product, in(2)}, [](auto&) {});
  }

  void pool() {
    onnx::NodeProto& node = single(n_.op, {in(0)});
    window(node, n_.op == "MaxPool");
    if (n_.op == "AveragePool") set(node, "count_include_pad", int64_t{a_.flag("count_include_pad") ? 1 : 0});
  }

  void hard_swish() {
    if (opset_ >= 14) {
      single("HardSwish", {in(0)});
      return;
    }
    onnx::NodeProto& gate = b_.add_node("HardSigmoid", {in(0)}, {fresh("hardsigmoid")}, n_.name + "/hardsigmoid");
    set(gate, "alpha", 1.0f / 6.0f);
    set(gate, "beta", 0.5f);
    gated(gate);
  }

  void clip() {
    ir::DType t = g_.values[static_cast<size_t>(n_.inputs[0])].dtype;
    std::string lo = b_.add_scalar(out(0) + "_min", t, a_.real("min"));
    std::string hi = b_.add_scalar(out(0) + "_max", t, a_.real("max"));
    single("Clip", {in(0), lo, hi});
  }

  void hard_sigmoid() {
    onnx::NodeProto& node = single("HardSigmoid", {in(0)});
    set(node, "alpha", static_cast<float>(a_.real("alpha")));
    set(node, "beta", static_cast<float>(a_.real("beta")));
  }

  void pad() {
    std::string pads = b_.add_int64s(out(0) + "_pads", a_.ints("pads", 2 * shape(n_.inputs[0]).size()));
    std::string value =
        b_.add_scalar(out(0) + "_value", g_.values[static_cast<size_t>(n_.inputs[0])].dtype, a_.real("value"));
    set(single("Pad", {in(0), pads, value}), "mode", std::string("constant"));
  }

  void resize() {
    std::vector<double> scales = a_.reals("scales", 2);
    std::vector<std::string> ins{in(0), "", "", ""};
    if (scales[0] != 0.0 && scales[1] != 0.0) {
      ir::TensorData s =
          ir::TensorData::from_floats({4}, {1.0f, 1.0f, static_cast<float>(scales[0]), static_cast<float>(scales[1])});
      ins[2] = b_.add_initializer(b_.unique_value_name(out(0) + "_scales"), s);
    } else {
      ins[3] = b_.add_int64s(out(0) + "_sizes", shape(n_.outputs[0]));
    }
    onnx::NodeProto& node = single("Resize", ins);
    set(node, "mode", a_.text("mode", kResizeModes));
    set(node, "coordinate_transformation_mode", a_.text("coordinate_transformation_mode", kCoordinateTransforms));
    set(node, "nearest_mode", a_.text("nearest_mode", kNearestModes));
  }

  void channel_shuffle() {
    const ir::Shape& s = shape(n_.inputs[0]);
    int64_t groups = a_.integer("group");
    if (s.size() != 4 || groups < 1 || s[1] % groups != 0)
      a_.fail("needs an NCHW input whose channels divide by group, got " + ir::shape_string(s) + " and group " +
              std::to_string(groups));
    std::string grouped = fresh("grouped"), swapped = fresh("swapped");
    b_.add_node("Reshape", {in(0), b_.add_int64s(out(0) + "_grouped_shape", {s[0], groups, s[1] / groups, s[2], s[3]})},
                {grouped}, n_.name + "/reshape_in");
    set(b_.add_node("Transpose", {grouped}, {swapped}, n_.name + "/transpose"), "perm", Ints{0, 2, 1, 3, 4});
    b_.add_node("Reshape", {swapped, b_.add_int64s(out(0) + "_shape", s)}, {out(0)}, n_.name);
  }

  void reduce_mean() {
    onnx::NodeProto& node = single("ReduceMean", {in(0)});
    set(node, "axes", a_.ints("axes"));
    set(node, "keepdims", int64_t{a_.flag("keepdims") ? 1 : 0});
  }

  void slice() {
    size_t rank = shape(n_.inputs[0]).size();
    Ints axes(rank);
    for (size_t i = 0; i < rank; ++i) axes[i] = static_cast<int64_t>(i);
    single("Slice", {in(0), b_.add_int64s(out(0) + "_starts", a_.ints("starts", rank)),
                     b_.add_int64s(out(0) + "_ends", a_.ints("ends", rank)), b_.add_int64s(out(0) + "_axes", axes),
                     b_.add_int64s(out(0) + "_steps", a_.ints("steps", rank))});
  }

  void split() {
    Ints sizes = a_.ints("split", n_.outputs.size());
    set(single("Split", {in(0), b_.add_int64s(out(0) + "_split", sizes)}), "axis", a_.integer("axis"));
  }

  OnnxGraphBuilder& b_;
  const ir::Graph& g_;
  const ir::Node& n_;
  CanonicalAttrs a_;
  const std::vector<std::string>& names_;
  int opset_;
};

}  // namespace

void emit_onnx_node(OnnxGraphBuilder& builder, const ir::Graph& g, size_t index,
                    const std::vector<std::string>& value_names, int opset) {
  NodeEmitter(builder, g, index, value_names, opset).emit();
}

}  // namespace bespoke::onnx_export
