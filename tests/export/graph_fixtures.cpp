#include "graph_fixtures.h"

#include <limits>

namespace bespoke::test {

Attrs window(int64_t kernel, int64_t stride, int64_t pad) {
  return {{"kernel_shape", Is({kernel, kernel})},
          {"strides", Is({stride, stride})},
          {"dilations", Is({1, 1})},
          {"pads", Is({pad, pad, pad, pad})}};
}

namespace {

Attrs with(Attrs a, const Attrs& more) {
  for (const auto& kv : more) a[kv.first] = kv.second;
  return a;
}

// The canonical fused Relu (as ir::fuse_activation writes it) has no bounds.
Attrs relu_act() { return {{"activation", S("Relu")}}; }
Attrs clip_act(float lo, float hi) { return {{"activation", S("Clip")}, {"act_min", F(lo)}, {"act_max", F(hi)}}; }

}  // namespace

int GraphMaker::input(const std::string& name, const ir::Shape& shape, ir::DType dtype) {
  ir::Value v;
  v.name = name;
  v.dtype = dtype;
  v.shape = shape;
  int id = g.add_value(v);
  g.inputs.push_back(id);
  return id;
}

int GraphMaker::weight(const std::string& name, const ir::Shape& shape) {
  std::vector<float> data(static_cast<size_t>(ir::shape_elements(shape)));
  for (float& x : data) {
    seed_ = seed_ * 1664525u + 1013904223u;
    x = static_cast<float>(seed_ >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  }
  return g.add_constant(name, ir::TensorData::from_floats(shape, data));
}

int GraphMaker::node(const std::string& op, const std::string& name, const std::vector<int>& inputs,
                     const ir::Shape& out, Attrs attrs) {
  return node(op, name, inputs, std::vector<ir::Shape>{out}, std::move(attrs))[0];
}

std::vector<int> GraphMaker::node(const std::string& op, const std::string& name, const std::vector<int>& inputs,
                                  const std::vector<ir::Shape>& outs, Attrs attrs) {
  ir::Node n;
  n.name = name + "_node";
  n.op = op;
  n.inputs = inputs;
  n.attrs = std::move(attrs);
  for (size_t i = 0; i < outs.size(); ++i) {
    ir::Value v;
    v.name = outs.size() == 1 ? name : name + "_" + std::to_string(i);
    v.shape = outs[i];
    n.outputs.push_back(g.add_value(v));
  }
  g.add_node(n);
  return n.outputs;
}

ir::Graph every_op_graph() {
  GraphMaker m;
  m.g.name = "every_op";
  m.g.metadata = {{"source", "hand-built"}, {"purpose", "exporter tests"}};
  const float inf = std::numeric_limits<float>::infinity();
  int x = m.input("x", {1, 4, 8, 8});
  int c1 = m.node("Conv", "conv1", {x, m.weight("conv1.w", {8, 4, 3, 3}), m.weight("conv1.b", {8})}, {1, 8, 8, 8},
                  with(with(window(3, 1, 1), {{"group", I(1)}}), relu_act()));
  int c2 = m.node("Conv", "dwconv", {c1, m.weight("dwconv.w", {8, 1, 3, 3}), -1}, {1, 8, 4, 4},
                  with(with(window(3, 2, 1), {{"group", I(8)}}), clip_act(0.0f, 6.0f)));
  int ct = m.node("ConvTranspose", "deconv", {c2, m.weight("deconv.w", {8, 4, 3, 3}), m.weight("deconv.b", {4})},
                  {1, 4, 8, 8}, with(window(3, 2, 1), {{"group", I(1)}, {"output_padding", Is({1, 1})}}));
  int mp = m.node("MaxPool", "maxpool", {ct}, {1, 4, 4, 4}, window(2, 2, 0));
  int ap = m.node("AveragePool", "avgpool", {mp}, {1, 4, 4, 4}, with(window(3, 1, 1), {{"count_include_pad", I(0)}}));
  int add = m.node("Add", "add", {ap, mp}, {1, 4, 4, 4}, relu_act());
  int sub = m.node("Sub", "sub", {add, m.weight("sub.c", {1, 4, 1, 1})}, {1, 4, 4, 4});
  int mul = m.node("Mul", "mul", {sub, m.weight("mul.scalar", {})}, {1, 4, 4, 4});
  int div = m.node("Div", "div", {mul, m.weight("div.c", {4, 1, 1})}, {1, 4, 4, 4}, clip_act(-1.0f, 1.0f));
  int r = m.node("Relu", "relu", {div}, {1, 4, 4, 4});
  int clip = m.node("Clip", "clip", {r}, {1, 4, 4, 4}, {{"min", F(0.0f)}, {"max", F(6.0f)}});
  int lr = m.node("LeakyRelu", "leaky", {clip}, {1, 4, 4, 4}, {{"alpha", F(0.1f)}});
  int sg = m.node("Sigmoid", "sigmoid", {lr}, {1, 4, 4, 4});
  int hs = m.node("HardSigmoid", "hardsigmoid", {sg}, {1, 4, 4, 4}, {{"alpha", F(0.2f)}, {"beta", F(0.5f)}});
  int hsw = m.node("HardSwish", "hardswish", {hs}, {1, 4, 4, 4});
  int silu = m.node("SiLU", "silu", {hsw}, {1, 4, 4, 4});
  int th = m.node("Tanh", "tanh", {silu}, {1, 4, 4, 4});
  int cs = m.node("ChannelShuffle", "shuffle", {th}, {1, 4, 4, 4}, {{"group", I(2)}});
  int rs = m.node("Resize", "upsample", {cs}, {1, 4, 8, 8},
                  {{"mode", S("nearest")},
                   {"coordinate_transformation_mode", S("asymmetric")},
                   {"nearest_mode", S("floor")},
                   {"scales", Fs({2.0f, 2.0f})}});
  int rs2 = m.node("Resize", "resize_to", {rs}, {1, 4, 6, 6},
                   {{"mode", S("linear")},
                    {"coordinate_transformation_mode", S("align_corners")},
                    {"nearest_mode", S("round_prefer_floor")},
                    {"scales", Fs({0.0f, 0.0f})}});
  int pd = m.node("Pad", "pad", {rs2}, {1, 4, 8, 8}, {{"pads", Is({0, 0, 1, 1, 0, 0, 1, 1})}, {"value", F(0.5f)}});
  int sl = m.node("Slice", "slice", {pd}, {1, 4, 4, 4},
                  {{"starts", Is({0, 0, 0, 1})}, {"ends", Is({1, 4, 8, 8})}, {"steps", Is({1, 1, 2, 2})}});
  auto sp = m.node("Split", "split", {sl}, std::vector<ir::Shape>{{1, 1, 4, 4}, {1, 3, 4, 4}},
                   {{"axis", I(1)}, {"split", Is({1, 3})}});
  int cat = m.node("Concat", "concat", {sp[1], sp[0]}, {1, 4, 4, 4}, {{"axis", I(1)}});
  int bn = m.node("BatchNormalization", "bn",
                  {cat, m.weight("bn.scale", {4}), m.weight("bn.bias", {4}), m.weight("bn.mean", {4}),
                   m.g.add_constant("bn.var", ir::TensorData::from_floats({4}, {1.0f, 0.5f, 2.0f, 0.25f}))},
                  {1, 4, 4, 4}, {{"epsilon", F(1e-5f)}});
  int tr = m.node("Transpose", "nhwc", {bn}, {1, 4, 4, 4}, {{"perm", Is({0, 2, 3, 1})}});
  int rm = m.node("ReduceMean", "mean_hw", {tr}, {1, 4}, {{"axes", Is({1, 2})}, {"keepdims", I(0)}});
  int gap = m.node("GlobalAveragePool", "gap", {bn}, {1, 4, 1, 1});
  int flat = m.node("Reshape", "flatten", {gap}, {1, 4});
  int sum = m.node("Add", "pooled_sum", {rm, flat}, {1, 4});
  int fc1 = m.node("FullyConnected", "fc1", {sum, m.weight("fc1.w", {6, 4}), m.weight("fc1.b", {6})}, {1, 6},
                   clip_act(-inf, 3.0f));
  int seq = m.node("Reshape", "to_seq", {fc1}, {1, 2, 3});
  int fc2 =
      m.node("FullyConnected", "fc2", {seq, m.weight("fc2.w", {5, 3}), m.weight("fc2.b", {5})}, {1, 2, 5}, relu_act());
  int root = m.node("Sqrt", "root", {fc2}, {1, 2, 5});  // fc2 >= 0: its fused Relu
  int fc3 = m.node("FullyConnected", "fc3", {root, m.weight("fc3.w", {4, 5}), -1}, {1, 2, 4});
  // Self-attention style run-time products (runtime 0.2.0 opcodes).
  int keys = m.node("Transpose", "keys", {fc3}, {1, 4, 2}, {{"perm", Is({0, 2, 1})}});
  int scores = m.node("MatMul", "scores", {fc3, keys}, {1, 2, 2});
  int mixed = m.node("MatMul", "mixed", {scores, fc3}, {1, 2, 4});
  int probs = m.node("Softmax", "probs", {mixed}, {1, 2, 4}, {{"axis", I(2)}});
  m.output(probs);
  return m.g;
}

ir::Graph small_graph() {
  GraphMaker m;
  m.g.name = "small";
  int x = m.input("x", {1, 3, 8, 8});
  int c = m.node("Conv", "conv", {x, m.weight("conv.w", {6, 3, 3, 3}), m.weight("conv.b", {6})}, {1, 6, 8, 8},
                 with(with(window(3, 1, 1), {{"group", I(1)}}), relu_act()));
  int gap = m.node("GlobalAveragePool", "gap", {c}, {1, 6, 1, 1});
  int flat = m.node("Reshape", "flat", {gap}, {1, 6});
  int y = m.node("FullyConnected", "y", {flat, m.weight("fc.w", {5, 6}), m.weight("fc.b", {5})}, {1, 5});
  m.output(y);
  return m.g;
}

void add_blocks_of_every_kind(ir::Graph& g) {
  const ir::ProvenanceKind kinds[] = {ir::ProvenanceKind::kTeacherSpan, ir::ProvenanceKind::kPretrainedSpan,
                                      ir::ProvenanceKind::kPruned, ir::ProvenanceKind::kLowRank,
                                      ir::ProvenanceKind::kOther};
  const int n = static_cast<int>(g.nodes.size());
  int first = 0;
  for (int k = 0; k < 5; ++k) {
    ir::Block b;
    b.id = static_cast<uint32_t>(10 + k);
    b.name = "block" + std::to_string(k);
    b.first_node = first;
    b.node_count = k == 4 ? n - first : n / 5;
    b.input_value = g.nodes[static_cast<size_t>(first)].inputs[0];
    b.output_value = g.nodes[static_cast<size_t>(first + b.node_count - 1)].outputs[0];
    b.provenance.kind = kinds[k];
    b.provenance.teacher_cut_begin = k;
    b.provenance.teacher_cut_end = k + 2;
    b.provenance.source_model = k == 1 ? "mobilenet_v2" : "";
    b.provenance.source_node_begin = k == 1 ? "features.3.conv" : "";
    b.provenance.source_node_end = k == 1 ? "features.5.add" : "";
    if (k == 2) b.provenance.parameters = {{"keep_ratio", "0.5"}};
    if (k == 3) b.provenance.parameters = {{"rank", "16"}, {"method", "svd"}};
    b.provenance.distill_loss = k == 4 ? -1.0f : 0.125f * static_cast<float>(k);
    g.blocks.push_back(b);
    first += b.node_count;
  }
}

}  // namespace bespoke::test
