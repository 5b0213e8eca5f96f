// Coverage by cost (house/span_sampling.h, house/teacher_stages.h): with
// house.spans = "auto" every replaceable unit is covered, the costliest first;
// max_units = "auto" lets spans cover whole stages; an explicit count only
// adds spans. On the real demo teacher, on a synthetic chain whose FLOPs are
// very uneven, and on the real PP-OCR direction classifier (36 units, half of
// its FLOPs in three of them: the case of issue #21).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "blocks/unit_blocks.h"
#include "config/optimizer_config.h"
#include "house/span_sampling.h"
#include "house/teacher_stages.h"
#include "house/work_plan.h"
#include "ir/passes.h"
#include "onnx_import/onnx_importer.h"
#include "support/graph_builder.h"

namespace bespoke::house {

namespace {

struct Model {
  ir::Graph graph;
  blocks::BlockAnalysis analysis;
};

Model analysed(ir::Graph g) {
  Model m;
  m.graph = std::move(g);
  m.analysis = blocks::assign_unit_blocks(m.graph);
  return m;
}

const Model& demo_teacher() {
  static const Model m =
      analysed(onnx_import::load_onnx_for_inference(BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx"));
  return m;
}

// input [1, 4, 16, 16] -> five 3x3 convolutions 4 -> 4 -> 64 -> 64 -> 4 -> 4
// (the 64 -> 64 one holds 90% of the FLOPs) -> global pool -> flatten.
const Model& uneven_chain() {
  static const Model m = [] {
    using namespace bespoke::test;
    GraphBuilder gb;
    int x = gb.input("x", {1, 4, 16, 16});
    const int64_t widths[] = {4, 4, 64, 64, 4, 4};
    for (int i = 1; i <= 5; ++i) {
      const int64_t in = widths[i - 1], out = widths[i];
      const std::string name = "conv" + std::to_string(i);
      x = gb.op("Conv",
                {x, gb.floats(name + ".w", {out, in, 3, 3}, random_floats(static_cast<size_t>(out * in * 9), i)),
                 gb.floats(name + ".b", {out}, std::vector<float>(static_cast<size_t>(out), 0.0f))},
                {{"kernel_shape", ints_attr({3, 3})},
                 {"strides", ints_attr({1, 1})},
                 {"dilations", ints_attr({1, 1})},
                 {"pads", ints_attr({1, 1, 1, 1})},
                 {"group", int_attr(1)},
                 {"activation", str_attr("Relu")}},
                name);
    }
    const int pooled = gb.op("GlobalAveragePool", {x}, {}, "pool");
    const int flat = gb.op("Reshape", {pooled}, {}, "flatten");
    gb.g.values[static_cast<size_t>(flat)].shape = ir::Shape{1, 4};  // a canonical Reshape's target is its output shape
    gb.output(flat);
    ir::infer_shapes(gb.g);
    return analysed(gb.g);
  }();
  return m;
}

SpanOptions auto_options(uint64_t seed) {
  SpanOptions o;
  o.seed = seed;
  return o;  // count, max_units: auto
}

std::set<int> covered_units(const SpanSample& s) {
  std::set<int> units;
  for (const SpanChoice& c : s.spans)
    for (int u = c.cut_begin; u < c.cut_end; ++u) units.insert(u);
  return units;
}

std::set<int> coverable_units(const SpanSample& s) {
  std::set<int> units;
  for (size_t u = 0; u < s.units.size(); ++u)
    if (s.units[u].not_coverable.empty()) units.insert(static_cast<int>(u));
  return units;
}

bool contains(const SpanChoice& s, int unit) { return s.cut_begin <= unit && unit < s.cut_end; }

// The documented rule of step 1: coverage spans come in falling cost of the
// unit they cover, each starts at that unit (every such unit here has a span
// starting at it), and it was not covered by an earlier span.
void check_coverage_order(const SpanSample& s, const std::vector<double>& cost) {
  std::set<int> covered;
  double last = 1e300;
  for (const ChosenSpan& c : s.chosen) {
    if (c.step != SpanStep::kCoverage) continue;
    INFO("span " << c.span.cut_begin << "-" << c.span.cut_end << " for unit " << c.unit);
    CHECK(c.span.cut_begin == c.unit);
    CHECK(covered.count(c.unit) == 0);
    CHECK(cost[static_cast<size_t>(c.unit)] <= last);
    last = cost[static_cast<size_t>(c.unit)];
    for (int u = c.span.cut_begin; u < c.span.cut_end; ++u) covered.insert(u);
  }
}

std::vector<double> flops_of(const Model& m) {
  std::vector<double> f;
  for (const blocks::SubNetwork& u : m.analysis.units) f.push_back(static_cast<double>(u.flops));
  return f;
}

}  // namespace

TEST_CASE("stages: runs of units keeping one H x W, opened by their stride unit") {
  const std::vector<Stage> stages = teacher_stages(demo_teacher().analysis);
  // Stem + stage 1 at 14x14, stage 2 at 7x7, stage 3 at 4x4, the global pool at 1x1; flatten and logits in none.
  REQUIRE(stages.size() == 4);
  CHECK((std::vector<int>{stages[0].unit_begin, stages[0].unit_end, stages[1].unit_begin, stages[1].unit_end,
                          stages[2].unit_begin, stages[2].unit_end, stages[3].unit_begin,
                          stages[3].unit_end} == std::vector<int>{0, 3, 3, 5, 5, 7, 7, 8}));
  CHECK(stages[1].height == 7);
  CHECK(stages[1].width == 7);
  const std::vector<int> of = stage_of_units(stages, demo_teacher().analysis.units.size());
  CHECK(of == std::vector<int>{0, 0, 0, 1, 1, 2, 2, 3, -1, -1});
}

TEST_CASE("spans = auto covers every replaceable unit of the demo teacher, the costliest first") {
  const Model& t = demo_teacher();
  for (uint64_t seed : {0u, 1u, 7u}) {
    INFO("seed " << seed);
    const SpanSample s = sample_spans(t.graph, t.analysis, auto_options(seed));
    CHECK(coverable_units(s) == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7});
    const std::set<int> covered = covered_units(s);
    for (int u : coverable_units(s)) CHECK(covered.count(u) == 1);
    CHECK(s.coverage.uncovered.empty());
    CHECK(s.coverage.not_coverable == std::vector<int>{8, 9});  // flatten and logits: the head
    CHECK(s.units[8].not_coverable.find("feature map") != std::string::npos);
    // Everything but the head's few FLOPs is covered.
    CHECK(s.coverage.total_flops == t.analysis.span(0, 10).flops);
    CHECK(s.coverage.covered_flops == t.analysis.span(0, 8).flops);
    CHECK(s.coverage.flops_share() > 0.9999);
    CHECK(describe_coverage(s.coverage, s.units).find("99.9% of the teacher's FLOPs in ") == 0);
    // The costliest unit (stage3.block1, 9.45 MFLOPs) is covered by the first span chosen, from its input on.
    REQUIRE(!s.chosen.empty());
    CHECK(s.chosen.front().step == SpanStep::kCoverage);
    CHECK(s.chosen.front().unit == 6);
    CHECK(s.chosen.front().span.cut_begin == 6);
    check_coverage_order(s, flops_of(t));
    // Seeded: the same seed gives the same spans in the same order.
    const SpanSample again = sample_spans(t.graph, t.analysis, auto_options(seed));
    CHECK((again.spans == s.spans));
    CHECK(describe_coverage(s.coverage, s.units).find("units not coverable: 8, 9 \u2014 the head") !=
          std::string::npos);
  }
}

TEST_CASE("max_units = auto: spans within a stage or a stage and the next stride unit, whole stages included") {
  const Model& t = demo_teacher();
  const SpanSample s = sample_spans(t.graph, t.analysis, auto_options(2));
  const std::vector<Stage> stages = teacher_stages(t.analysis);
  int whole = 0;
  for (const Stage& st : stages) {
    INFO("stage " << st.unit_begin << "-" << st.unit_end);
    const bool found =
        std::find(s.spans.begin(), s.spans.end(), SpanChoice{st.unit_begin, st.unit_end}) != s.spans.end();
    CHECK(found);
    whole += found && st.unit_end - st.unit_begin > 1;
  }
  CHECK(whole >= 1);  // at least one multi-unit stage is one span
  // Every eligible span (a count above their number takes them all) fits the rule.
  SpanOptions all = auto_options(0);
  all.count = 1000;
  const SpanSample every = sample_spans(t.graph, t.analysis, all);
  CHECK(static_cast<int>(every.spans.size()) == every.eligible);
  const std::vector<int> of = stage_of_units(stages, t.analysis.units.size());
  for (const SpanChoice& c : every.spans) {
    INFO("span " << c.cut_begin << "-" << c.cut_end);
    const int first = of[static_cast<size_t>(c.cut_begin)], last = of[static_cast<size_t>(c.cut_end - 1)];
    CHECK(first >= 0);
    CHECK((last == first || (last == first + 1 && c.cut_end - 1 == stages[static_cast<size_t>(last)].unit_begin)));
  }
  const auto has = [&](int a, int b) {
    return std::find(every.spans.begin(), every.spans.end(), SpanChoice{a, b}) != every.spans.end();
  };
  CHECK(has(0, 3));        // the stem and stage 1
  CHECK(has(1, 4));        // stage 1 and the stride block after it (replaced by the stride block alone, thinned)
  CHECK(has(0, 4));        // longer than the old limit of 3 units
  CHECK(has(5, 8));        // stage 3 and the global pool
  CHECK_FALSE(has(2, 5));  // half a stage, then a whole one: two stages
  CHECK_FALSE(has(7, 9));  // into the head
}

TEST_CASE("an explicit count adds random spans but never removes coverage") {
  const Model& t = demo_teacher();
  const SpanSample base = sample_spans(t.graph, t.analysis, auto_options(4));
  const std::set<int> all = coverable_units(base);
  SpanOptions more = auto_options(4);
  more.count = static_cast<int>(base.spans.size()) + 3;
  const SpanSample bigger = sample_spans(t.graph, t.analysis, more);
  CHECK(bigger.spans.size() == base.spans.size() + 3);
  CHECK(covered_units(bigger) == all);
  CHECK(std::count_if(bigger.chosen.begin(), bigger.chosen.end(),
                      [](const ChosenSpan& c) { return c.step == SpanStep::kFill; }) == 3);
  // The count only fills: steps 1 and 2 choose the same spans as with auto.
  for (size_t i = 0; i < base.chosen.size(); ++i) CHECK((bigger.chosen[i].span == base.chosen[i].span));
  // A count below what coverage needs is no limit, with a length bound too.
  for (int max_units : {1, 2, 3}) {
    SpanOptions few = auto_options(4);
    few.count = 1;
    few.max_units = max_units;
    const SpanSample s = sample_spans(t.graph, t.analysis, few);
    INFO("max_units " << max_units);
    CHECK(covered_units(s) == all);
    CHECK(s.coverage.uncovered.empty());
    for (const SpanChoice& c : s.spans) CHECK(c.cut_end - c.cut_begin <= max_units);
    CHECK(s.chosen.front().unit == 6);
  }
  // The house plan follows the config: spans = 3 and max_units = 2 still cover units 0..7.
  config::OptimizerConfig c;
  c.house.spans = 3;
  c.house.max_units = 2;
  c.house.kinds = {"drop"};
  const WorkPlan plan = plan_house(t.graph, t.analysis, {}, c);
  CHECK(plan.sample.spans.size() >= 4);
  CHECK(covered_units(plan.sample) == all);
}

TEST_CASE("uneven FLOPs: the costliest unit is covered first; a given unit cost (a profile) reorders") {
  const Model& m = uneven_chain();
  REQUIRE(m.analysis.units.size() == 7);  // five convolutions, the pool, the flatten
  const std::vector<double> flops = flops_of(m);
  CHECK(flops[2] > 0.8 * static_cast<double>(m.analysis.span(0, 7).flops));  // 64 -> 64 holds most of the FLOPs
  for (uint64_t seed : {0u, 5u, 11u}) {
    INFO("seed " << seed);
    const SpanSample s = sample_spans(m.graph, m.analysis, auto_options(seed));
    REQUIRE(!s.chosen.empty());
    CHECK(s.chosen.front().unit == 2);
    CHECK(s.chosen.front().span.cut_begin == 2);
    check_coverage_order(s, flops);
    CHECK(covered_units(s) == std::set<int>{0, 1, 2, 3, 4, 5});
    CHECK(s.coverage.not_coverable == std::vector<int>{6});
    // The five convolutions keep 16x16: one stage, replaced whole by one span.
    CHECK(std::find(s.spans.begin(), s.spans.end(), SpanChoice{0, 5}) != s.spans.end());
  }
  // Profiled times instead of FLOPs: the unit the profile finds slowest is covered first.
  SpanOptions profiled = auto_options(0);
  profiled.unit_cost = {1.0, 1.0, 2.0, 1.0, 9.0, 0.5, 0.1};
  const SpanSample s = sample_spans(m.graph, m.analysis, profiled);
  CHECK(s.chosen.front().unit == 4);
  check_coverage_order(s, profiled.unit_cost);
  profiled.unit_cost.pop_back();
  CHECK_THROWS_AS(sample_spans(m.graph, m.analysis, profiled), std::invalid_argument);
}

TEST_CASE("the PP-OCR direction classifier: every replaceable unit covered, its three costliest units first") {
  const std::string cls = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";
  REQUIRE_MESSAGE(std::filesystem::exists(cls), cls << " is missing: run scripts/install-deps");
  onnx_import::ImportOptions options;
  options.input_shapes["x"] = {1, 3, 48, 192};
  const Model m = analysed(onnx_import::load_onnx_for_inference(cls, options));
  REQUIRE(m.analysis.units.size() == 36);
  const SpanSample s = sample_spans(m.graph, m.analysis, auto_options(0));
  MESSAGE("PP-OCR direction classifier, spans = auto: " << describe_coverage(s.coverage, s.units) << ", " << s.eligible
                                                        << " eligible");
  const std::set<int> covered = covered_units(s);
  for (int u : coverable_units(s)) CHECK(covered.count(u) == 1);
  CHECK(s.coverage.uncovered.empty());
  for (int u : {26, 27, 28}) CHECK(covered.count(u) == 1);  // half of the teacher's FLOPs (issue #21)
  CHECK(s.coverage.flops_share() > 0.99);
  // Units 26 and 27 (7.1 MFLOPs each) are the costliest: the first span chosen covers the dearer.
  const std::vector<double> flops = flops_of(m);
  const int costliest = static_cast<int>(std::max_element(flops.begin(), flops.end()) - flops.begin());
  CHECK((costliest == 26 || costliest == 27));
  REQUIRE(!s.chosen.empty());
  CHECK(s.chosen.front().unit == costliest);
  CHECK(contains(s.chosen.front().span, costliest));
  check_coverage_order(s, flops);
  // The head (reshape, matmul, add, softmax) is the only part no span can hold.
  for (int u : s.coverage.not_coverable) CHECK(u >= 32);
  // Stage spans: the stage of units 26-28 (2 x 96) is one span.
  const std::vector<Stage> stages = teacher_stages(m.analysis);
  const auto stage = std::find_if(stages.begin(), stages.end(),
                                  [](const Stage& st) { return st.unit_begin <= 26 && 28 < st.unit_end; });
  REQUIRE(stage != stages.end());
  CHECK(std::find(s.spans.begin(), s.spans.end(), SpanChoice{stage->unit_begin, stage->unit_end}) != s.spans.end());
}

}  // namespace bespoke::house
