// The house's alternatives on the real demo teacher (models/fashion_resnet.onnx)
// and the real PP-OCRv4 detector: span sampling, teacher drops, channel
// pruning, low-rank factorization, pretrained spans; outputs are compared
// through the LibTorch bridge.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "house/channel_pruning.h"
#include "house/low_rank.h"
#include "house/pretrained_spans.h"
#include "house/span_sampling.h"
#include "house/teacher_drops.h"
#include "house/work_plan.h"
#include "ir/cost.h"
#include "ir/passes.h"
#include "onnx_import/onnx_importer.h"
#include "support/graph_builder.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::house {

namespace {

struct Teacher {
  ir::Graph graph;
  blocks::BlockAnalysis analysis;
};

const Teacher& teacher() {
  static const Teacher t = [] {
    Teacher x;
    x.graph = onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx");
    x.analysis = blocks::assign_unit_blocks(x.graph);
    return x;
  }();
  return t;
}

at::Tensor run(const ir::Graph& g, const at::Tensor& x) {
  torchbridge::GraphModule m(g);
  at::NoGradGuard no_grad;
  return m.forward({x}).at(0);
}

at::Tensor random_input(const ir::Graph& g, int64_t batch = 4) {
  std::vector<int64_t> shape = g.shape_of(g.inputs.at(0));
  shape[0] = batch;
  at::manual_seed(7);
  return at::relu(at::randn(shape));  // the teacher's features are ReLU outputs
}

const ir::Shape& cut_shape(int cut) {
  return teacher().graph.shape_of(teacher().analysis.cuts.at(static_cast<size_t>(cut)));
}

}  // namespace

TEST_CASE("span sampling covers every replaceable unit, respects the bounds and is seeded") {
  const Teacher& t = teacher();
  const auto options = [](int count, int min_units, int max_units, uint64_t seed) {
    SpanOptions o;
    o.count = count;
    o.min_units = min_units;
    o.max_units = max_units;
    o.seed = seed;
    return o;
  };
  const SpanSample a = sample_spans(t.graph, t.analysis, options(8, 1, 3, 5));
  const SpanSample b = sample_spans(t.graph, t.analysis, options(8, 1, 3, 5));
  const SpanSample c = sample_spans(t.graph, t.analysis, options(8, 1, 3, 6));
  CHECK((a.spans == b.spans));
  CHECK_FALSE((a.spans == c.spans));
  REQUIRE(a.spans.size() == 8);
  std::set<int> covered;
  for (const SpanChoice& s : a.spans) {
    CHECK(s.cut_end - s.cut_begin >= 1);
    CHECK(s.cut_end - s.cut_begin <= 3);
    CHECK(cut_shape(s.cut_begin).size() == 4);  // feature maps only: not into the head
    CHECK(cut_shape(s.cut_end).size() == 4);
    for (int u = s.cut_begin; u < s.cut_end; ++u) covered.insert(u);
  }
  // The stem, the six residual blocks and the global pool (units 0..7) lie between feature maps.
  for (int u = 0; u <= 7; ++u) CHECK(covered.count(u) == 1);
  CHECK(a.coverage.uncovered.empty());
  // One span is not enough to cover, and coverage wins over the count.
  const SpanSample one = sample_spans(t.graph, t.analysis, options(1, 1, 1, 0));
  CHECK(one.spans.size() == 8);
  CHECK(one.coverage.uncovered.empty());
  CHECK_THROWS_AS(sample_spans(t.graph, t.analysis, options(4, 2, 1, 0)), std::invalid_argument);
}

TEST_CASE("teacher drops keep the span's shapes, include the identity where shapes allow") {
  const Teacher& t = teacher();
  // Cuts 1..3: stage 1, two residual blocks at 32x14x14.
  const std::vector<Alternative> drops = teacher_drops(t.graph, t.analysis, 1, 3);
  std::set<std::string> keys;
  for (const Alternative& d : drops) keys.insert(d.key);
  CHECK((keys == std::set<std::string>{"s1-3/drop/identity", "s1-3/drop/1-2", "s1-3/drop/2-3"}));
  for (const Alternative& d : drops) {
    CHECK(d.kind == AlternativeKind::kDrop);
    CHECK(d.graph.shape_of(d.graph.inputs[0]) == cut_shape(1));
    CHECK(d.graph.shape_of(d.graph.outputs[0]) == cut_shape(3));
  }
  // The kept block computes what the teacher's block computes.
  const Alternative& kept =
      *std::find_if(drops.begin(), drops.end(), [](const Alternative& d) { return d.key == "s1-3/drop/2-3"; });
  const at::Tensor x = random_input(kept.graph);
  CHECK(at::allclose(run(kept.graph, x), run(blocks::extract_span(t.graph, 2, 3), x)));
  // Stage 2 starts with a stride-2 block: no shorter span keeps 32x14x14 -> 64x7x7 but the block itself.
  std::set<std::string> stage2;
  for (const Alternative& d : teacher_drops(t.graph, t.analysis, 3, 5)) stage2.insert(d.key);
  CHECK((stage2 == std::set<std::string>{"s3-5/drop/3-4"}));
}

TEST_CASE("the plan prunes a drop's kept span too: a stride block alone, thinned") {
  const Teacher& t = teacher();
  config::OptimizerConfig c;
  c.house.spans = 100;  // every eligible span
  c.house.kinds = {"drop", "pruned"};
  c.house.prune_ratios = {0.5, 0.75};
  c.house.max_alternatives_per_span = 100;
  const WorkPlan plan = plan_house(t.graph, t.analysis, {}, c);
  std::map<std::string, const Alternative*> by_key;
  for (const Alternative& a : plan.alternatives) CHECK(by_key.emplace(a.key, &a).second);  // keys are unique
  // Span 1-4 (stage 1 and the stride-2 block) keeps the stride block 3-4 as a drop, pruned at both ratios.
  REQUIRE(by_key.count("s1-4/drop/3-4") == 1);
  REQUIRE(by_key.count("s1-4/pruned/3-4/0.5") == 1);
  REQUIRE(by_key.count("s1-4/pruned/3-4/0.75") == 1);
  const Alternative& thin = *by_key.at("s1-4/pruned/3-4/0.75");
  const Alternative& kept = *by_key.at("s1-4/drop/3-4");
  CHECK(thin.kind == AlternativeKind::kPruned);
  CHECK(thin.cut_begin == 1);
  CHECK(thin.cut_end == 4);
  CHECK(thin.ratio == 0.75);
  CHECK(thin.graph.shape_of(thin.graph.inputs[0]) == cut_shape(1));
  CHECK(thin.graph.shape_of(thin.graph.outputs[0]) == cut_shape(4));
  CHECK(ir::summarize(thin.graph).parameters < ir::summarize(by_key.at("s1-4/pruned/3-4/0.5")->graph).parameters);
  CHECK(ir::summarize(by_key.at("s1-4/pruned/3-4/0.5")->graph).parameters < ir::summarize(kept.graph).parameters);
  CHECK(thin.provenance.kind == ir::ProvenanceKind::kPruned);
  CHECK(thin.provenance.source_node_begin == kept.provenance.source_node_begin);  // the kept block's nodes
  CHECK(thin.provenance.source_node_end == kept.provenance.source_node_end);
  // It is exactly the kept block pruned: the same outputs.
  const at::Tensor x = random_input(thin.graph);
  std::string why;
  const std::optional<ir::Graph> direct = prune_channels(blocks::extract_span(t.graph, 3, 4), 0.75, &why);
  REQUIRE(direct.has_value());
  CHECK(at::allclose(run(thin.graph, x), run(*direct, x)));
  // The identity has nothing to prune, and a span without a drop gets no such alternative.
  for (const Alternative& a : plan.alternatives) {
    CHECK(a.key.find("/pruned/identity") == std::string::npos);
    if (a.cut_begin == 3 && a.cut_end == 4) CHECK(a.key.find("/pruned/3-4/") == std::string::npos);
  }
}

TEST_CASE("channel pruning keeps the strongest filters and equals zeroing the others") {
  const Teacher& t = teacher();
  const ir::Graph span = blocks::extract_span(t.graph, 1, 2);  // conv-relu-conv + residual add
  std::string why;
  const std::optional<ir::Graph> pruned = prune_channels(span, 0.5, &why);
  REQUIRE(pruned);
  CHECK(pruned->shape_of(pruned->inputs[0]) == span.shape_of(span.inputs[0]));
  CHECK(pruned->shape_of(pruned->outputs[0]) == span.shape_of(span.outputs[0]));
  const int64_t before = ir::summarize(span).parameters, after = ir::summarize(*pruned).parameters;
  CHECK(after < before);
  CHECK(after > before / 3);  // one of the two convolutions loses half its filters, the other half its inputs

  // Reference: the same span with the weaker half of the first conv's filters (and biases) zeroed.
  ir::Graph zeroed = span;
  const ir::Node& first = *std::find_if(zeroed.nodes.begin(), zeroed.nodes.end(), [&](const ir::Node& n) {
    return n.op == "Conv" && n.input(0) == zeroed.inputs[0] && zeroed.consumers(n.outputs[0]).size() == 1 &&
           zeroed.nodes[static_cast<size_t>(zeroed.consumers(n.outputs[0])[0])].op == "Conv";
  });
  const ir::TensorData& w = *zeroed.values[static_cast<size_t>(first.input(1))].constant;
  const int64_t filters = w.shape[0], per = w.elements() / filters;
  std::vector<float> wv(w.as<float>(), w.as<float>() + w.elements());
  const std::vector<int64_t> keep = strongest_filters(wv, filters, filters / 2);
  CHECK(keep.size() == static_cast<size_t>(filters / 2));
  const ir::TensorData& b = *zeroed.values[static_cast<size_t>(first.input(2))].constant;
  std::vector<float> bv(b.as<float>(), b.as<float>() + b.elements());
  for (int64_t f = 0; f < filters; ++f) {
    if (std::binary_search(keep.begin(), keep.end(), f)) continue;
    std::fill(wv.begin() + f * per, wv.begin() + (f + 1) * per, 0.0f);
    bv[static_cast<size_t>(f)] = 0.0f;
  }
  const int wid = first.input(1), bid = first.input(2);
  zeroed.values[static_cast<size_t>(wid)].constant =
      std::make_shared<ir::TensorData>(ir::TensorData::from_floats(w.shape, wv));
  zeroed.values[static_cast<size_t>(bid)].constant =
      std::make_shared<ir::TensorData>(ir::TensorData::from_floats(b.shape, bv));
  const at::Tensor x = random_input(span);
  CHECK(at::allclose(run(*pruned, x), run(zeroed, x), 1e-4, 1e-5));

  // The stem writes the span output directly: nothing inside to prune.
  CHECK_FALSE(prune_channels(blocks::extract_span(t.graph, 0, 1), 0.5, &why));
  CHECK(why == "no inner convolution to prune");
  CHECK_THROWS_AS(prune_channels(span, 1.0, &why), std::invalid_argument);
}

TEST_CASE("low-rank factorization: exact on a rank-r convolution, closer to the teacher at a higher rank") {
  using namespace bespoke::test;
  // A 3x3 conv 8 -> 16 whose weight matrix [16, 72] has rank 2 exactly.
  GraphBuilder gb;
  const int x = gb.input("x", {1, 8, 6, 6});
  std::vector<float> w(16 * 72);
  for (int o = 0; o < 16; ++o)
    for (int i = 0; i < 72; ++i)
      w[static_cast<size_t>(o * 72 + i)] =
          std::sin(0.3f * o + 0.1f * i) + 0.5f * std::cos(0.7f * o) * std::cos(0.2f * i);
  std::vector<float> bias(16);
  for (int o = 0; o < 16; ++o) bias[static_cast<size_t>(o)] = 0.1f * o;
  const int y = gb.op("Conv", {x, gb.floats("w", {16, 8, 3, 3}, w), gb.floats("b", {16}, bias)},
                      {{"kernel_shape", ints_attr({3, 3})},
                       {"strides", ints_attr({1, 1})},
                       {"dilations", ints_attr({1, 1})},
                       {"pads", ints_attr({1, 1, 1, 1})},
                       {"group", int_attr(1)},
                       {"activation", str_attr("Relu")}});
  gb.output(y);
  // sin(a+b) = sin a cos b + cos a sin b: rank 2, plus a rank-1 term: rank 3.
  std::string why;
  const std::optional<ir::Graph> exact = factorize_low_rank(gb.g, 3.0 / 16.0, &why);
  REQUIRE(exact);
  CHECK(std::count_if(exact->nodes.begin(), exact->nodes.end(), [](const ir::Node& n) { return n.op == "Conv"; }) == 2);
  at::manual_seed(1);
  const at::Tensor in = at::randn({2, 8, 6, 6});
  CHECK(at::allclose(run(*exact, in), run(gb.g, in), 1e-3, 1e-4));

  // On the teacher: the error shrinks as the rank grows, and parameters drop.
  const Teacher& t = teacher();
  const ir::Graph span = blocks::extract_span(t.graph, 4, 5);
  const at::Tensor f = random_input(span);
  const at::Tensor ref = run(span, f);
  const auto low = factorize_low_rank(span, 0.25, &why), high = factorize_low_rank(span, 0.5, &why);
  REQUIRE(low);
  REQUIRE(high);
  const double err_low = (run(*low, f) - ref).pow(2).mean().item<double>();
  const double err_high = (run(*high, f) - ref).pow(2).mean().item<double>();
  CHECK(err_high < err_low);
  CHECK(ir::summarize(*low).parameters < ir::summarize(*high).parameters);
  CHECK(ir::summarize(*high).parameters < ir::summarize(span).parameters);
}

TEST_CASE("pretrained spans of the PP-OCRv4 detector: re-instantiated at the teacher's size, adapted, cheaper") {
  const std::string det = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx";
  REQUIRE_MESSAGE(std::filesystem::exists(det), det << " is missing: run scripts/install-deps");
  onnx_import::ImportOptions options;
  options.input_shapes["x"] = {1, 3, 224, 224};
  const PretrainedSource source =
      make_pretrained_source("det", det, onnx_import::load_onnx_for_inference(det, options));
  const Teacher& t = teacher();
  PretrainedOptions o;
  o.max_per_span = 3;
  for (auto [a, b] : {std::pair{0, 2}, std::pair{1, 3}, std::pair{3, 4}}) {
    SkipCounts skips;
    const std::vector<Alternative> alts = pretrained_alternatives(t.graph, t.analysis, a, b, source, o, skips);
    INFO("teacher span " << a << "-" << b);
    REQUIRE(!alts.empty());
    CHECK(alts.size() <= 3);
    const int64_t span_flops = t.analysis.span(a, b).flops;
    for (const Alternative& alt : alts) {
      CHECK(alt.kind == AlternativeKind::kPretrained);
      CHECK(alt.origin_model == "det");
      CHECK(alt.graph.shape_of(alt.graph.inputs[0]) == cut_shape(a));
      CHECK(alt.graph.shape_of(alt.graph.outputs[0]) == cut_shape(b));
      CHECK(ir::summarize(alt.graph).flops < span_flops);
      CHECK(run(alt.graph, random_input(alt.graph, 2)).sizes()[1] == cut_shape(b)[1]);
    }
    CHECK(skips.count("over the per-span limit") + skips.count("not cheaper than the teacher span") >= 1);
  }
}

TEST_CASE("pretrained spans that fix a size are skipped with their reason") {
  using namespace bespoke::test;
  // input -> conv 3x3 stride 1 -> Reshape (to itself) -> conv: every span holding the Reshape is refused.
  GraphBuilder gb;
  const int x = gb.input("x", {1, 4, 8, 8});
  auto conv = [&](int in, const std::string& name) {
    return gb.op("Conv",
                 {in, gb.floats(name + ".w", {4, 4, 3, 3}, std::vector<float>(144, 0.01f)),
                  gb.floats(name + ".b", {4}, {0, 0, 0, 0})},
                 {{"kernel_shape", ints_attr({3, 3})},
                  {"strides", ints_attr({1, 1})},
                  {"dilations", ints_attr({1, 1})},
                  {"pads", ints_attr({1, 1, 1, 1})},
                  {"group", int_attr(1)}},
                 name);
  };
  const int r = gb.op("Reshape", {conv(x, "c1")}, {}, "reshape");
  gb.g.values[static_cast<size_t>(r)].shape =
      ir::Shape{1, 4, 8, 8};  // a canonical Reshape's target is its output shape
  gb.output(conv(r, "c2"));
  ir::infer_shapes(gb.g);
  const PretrainedSource source = make_pretrained_source("toy", "toy.onnx", gb.g);
  SkipCounts skips;
  PretrainedOptions o;
  o.max_params_ratio = 100.0;
  const Teacher& t = teacher();
  pretrained_alternatives(t.graph, t.analysis, 1, 2, source, o, skips);
  CHECK(skips["fixes a size (Reshape)"] >= 1);
}

}  // namespace bespoke::house
