// Surgery on hand-built graphs: extract_span, stitch (self, several at once,
// dropping a span, name clashes, channel adapters, errors), checked by running
// the graphs on the runtime's reference backend.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "ir/passes.h"
#include "runtime_runner.h"
#include "test_graphs.h"
#include "test_util.h"

namespace {

using namespace bespoke;
using namespace bespoke::blocks;
using namespace bespoke::test;

// Runs the spans [c0, c1], [c1, c2], ... of g one after the other.
std::vector<float> run_in_pieces(const ir::Graph& g, const std::vector<int>& cuts, std::vector<float> x) {
  for (size_t i = 0; i + 1 < cuts.size(); ++i) x = run_reference(extract_span(g, cuts[i], cuts[i + 1]), x);
  return x;
}

Replacement self_replacement(const ir::Graph& host, int a, int b) {
  Replacement r;
  r.cut_begin = a;
  r.cut_end = b;
  r.graph = extract_span(host, a, b);
  r.provenance = teacher_span_provenance(a, b);
  return r;
}

std::vector<std::string> ops(const ir::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes) out.push_back(n.op + ":" + n.name);
  return out;
}

// x[1,4,2,2] -> Relu "r" -> Sigmoid "s" -> y
ir::Graph relu_sigmoid_host() {
  test::GraphBuilder b;
  b.g.name = "host";
  const int x = b.input("x", {1, 4, 2, 2});
  b.output(b.op("Sigmoid", {b.op("Relu", {x}, {}, "r")}, {}, "s"));
  finish(b.g);
  return b.g;
}

// z[1,c,2,2] -> Relu -> out
ir::Graph relu_graph(int64_t channels) {
  test::GraphBuilder b;
  b.g.name = "narrow";
  b.output(b.op("Relu", {b.input("z", {1, channels, 2, 2})}, {}, "narrow_relu"));
  finish(b.g);
  return b.g;
}

}  // namespace

TEST_CASE("extract_span: a standalone SISO graph with the span's nodes, names and unit blocks") {
  const ir::Graph g = two_residual_graph();
  const ir::Graph s = extract_span(g, 1, 3);
  CHECK(s.name == "two_residual/res1..res1/Relu");
  REQUIRE(s.inputs.size() == 1);
  REQUIRE(s.outputs.size() == 1);
  CHECK(s.values[static_cast<size_t>(s.inputs[0])].name == "stem_out");
  CHECK(s.values[static_cast<size_t>(s.outputs[0])].name == "res1/relu_out_out");
  CHECK(ops(s) == std::vector<std::string>{"Conv:res1/conv1", "Relu:res1/relu", "Conv:res1/conv2", "Add:res1/add",
                                           "Relu:res1/relu_out"});
  CHECK(ir::validate(s, true).empty());
  REQUIRE(s.blocks.size() == 2);
  CHECK(s.blocks[0].provenance.teacher_cut_begin == 1);
  CHECK(s.blocks[1].provenance.teacher_cut_end == 3);
  bool has_cut_metadata = false;
  for (const auto& [k, v] : s.metadata) has_cut_metadata |= k == "span.cut_begin" && v == "1";
  CHECK(has_cut_metadata);
  // Constants are shared, not duplicated.
  const int w = s.find_value("res1/conv1.weight");
  REQUIRE(w >= 0);
  const bool shared = s.values[static_cast<size_t>(w)].constant ==
                      g.values[static_cast<size_t>(g.find_value("res1/conv1.weight"))].constant;
  CHECK(shared);
  CHECK_THROWS_AS(extract_span(g, 2, 2), BlockError);
}

TEST_CASE("running the extracted spans one after the other reproduces the whole model exactly") {
  for (const ir::Graph& g : {two_residual_graph(), inception_graph(), chain_graph()}) {
    CAPTURE(g.name);
    const auto x = sample_input(g, 7);
    const auto whole = run_reference(g, x);
    const int last = static_cast<int>(analyze_blocks(g).cuts.size()) - 1;
    CHECK(run_in_pieces(g, {0, 1, last}, x) == whole);
    CHECK(run_in_pieces(g, {0, last}, x) == whole);
  }
}

TEST_CASE("stitching teacher spans with themselves changes nothing") {
  const ir::Graph host = two_residual_graph();
  const auto x = sample_input(host, 11);
  const auto expected = run_reference(host, x);
  const ir::Graph one = stitch(host, {self_replacement(host, 1, 3)});
  CHECK(ops(one) == ops(host));
  CHECK(ir::validate(one, true).empty());
  CHECK(run_reference(one, x) == expected);
  REQUIRE(one.blocks.size() == 4);
  CHECK(one.blocks[1].provenance.teacher_cut_begin == 1);
  CHECK(one.blocks[1].provenance.teacher_cut_end == 3);
  CHECK(one.blocks[1].node_count == 5);
  CHECK(one.blocks[1].id == 5);  // host units (5) + replacement index (0)

  const ir::Graph two = stitch(host, {self_replacement(host, 3, 5), self_replacement(host, 0, 1)});
  CHECK(ops(two) == ops(host));
  CHECK(run_reference(two, x) == expected);
  const ir::Graph none = stitch(host, {});
  CHECK(run_reference(none, x) == expected);
  CHECK(none.blocks.size() == 5);
}

TEST_CASE("a replacement whose names clash with the host's is renamed and still computes the same") {
  const ir::Graph host = two_residual_graph();
  // res2 replaced by a copy of res1 (same shapes, same value and node names as the kept res1).
  Replacement r;
  r.cut_begin = 3;
  r.cut_end = 5;
  r.graph = extract_span(host, 1, 3);
  r.name = "res1_again";
  const ir::Graph g = stitch(host, {r});
  CHECK(ir::validate(g, true).empty());
  std::set<std::string> names;
  for (const auto& v : g.values) CHECK_MESSAGE(names.insert(v.name).second, v.name);
  CHECK(g.find_value("res1_again/res1/conv1_out") >= 0);
  CHECK(g.nodes[6].name == "res1_again/res1/conv1");
  const auto x = sample_input(host, 5);
  const auto expected = run_reference(extract_span(host, 1, 3), run_reference(extract_span(host, 0, 3), x));
  CHECK(run_reference(g, x) == expected);
}

TEST_CASE("an empty replacement drops the span") {
  const ir::Graph host = two_residual_graph();
  ir::Graph identity;
  identity.name = "skip";
  ir::Value v;
  v.name = "t";
  v.shape = ir::Shape{1, 4, 8, 8};
  identity.inputs = identity.outputs = {identity.add_value(v)};
  Replacement r;
  r.cut_begin = 1;
  r.cut_end = 3;
  r.graph = identity;
  const ir::Graph g = stitch(host, {r});
  CHECK(g.nodes.size() == 6);
  CHECK(ir::validate(g, true).empty());
  CHECK(g.blocks.size() == 3);  // no block for zero operators
  const auto x = sample_input(host, 3);
  CHECK(run_reference(g, x) == run_reference(extract_span(host, 3, 5), run_reference(extract_span(host, 0, 1), x)));

  Replacement whole = r;
  whole.cut_begin = 0;
  whole.cut_end = 5;
  CHECK(error_of([&] { stitch(host, {whole}); }).find("no operator between the input and the output") !=
        std::string::npos);
}

TEST_CASE("channel adapters: identity 1x1 conv and channel selection select and zero-pad exactly") {
  const ir::Graph host = relu_sigmoid_host();
  const auto x = sample_input(host, 9);
  std::vector<float> expected(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t channel = i / 4;
    const float relu = channel < 2 ? std::max(x[i], 0.0f) : 0.0f;
    expected[i] = 1.0f / (1.0f + std::exp(-relu));
  }
  for (AdapterKind kind : {AdapterKind::kConv1x1, AdapterKind::kChannelSelect}) {
    CAPTURE(static_cast<int>(kind));
    Replacement r;
    r.cut_begin = 0;
    r.cut_end = 1;
    r.graph = relu_graph(2);
    r.provenance.kind = ir::ProvenanceKind::kPruned;
    r.provenance.parameters = {{"keep_ratio", "0.5"}};
    r.adapters.kind = kind;
    const ir::Graph g = stitch(host, {r});
    CHECK(ir::validate(g, true).empty());
    const bool conv = kind == AdapterKind::kConv1x1;
    CHECK(g.nodes.front().op == (conv ? "Conv" : "Slice"));
    CHECK(g.nodes[2].op == (conv ? "Conv" : "Pad"));
    const auto y = run_reference(g, x);
    REQUIRE(y.size() == expected.size());
    for (size_t i = 0; i < y.size(); ++i) CHECK(y[i] == doctest::Approx(expected[i]).epsilon(1e-6));

    // Provenance, with the adapters, survives the .bspk round trip.
    const std::vector<uint8_t> file = exporter::write_bspk(g);
    const ir::Graph back = exporter::read_bspk(file.data(), file.size());
    REQUIRE(back.blocks.size() == 2);
    const ir::Provenance& p = back.blocks[0].provenance;
    CHECK(back.blocks[0].name == "narrow");
    CHECK(back.blocks[0].node_count == 3);
    CHECK(p.kind == ir::ProvenanceKind::kPruned);
    CHECK(p.teacher_cut_begin == 0);
    CHECK(p.teacher_cut_end == 1);
    REQUIRE(p.parameters.size() == 3);
    CHECK(p.parameters[0] == std::pair<std::string, std::string>{"keep_ratio", "0.5"});
    CHECK(p.parameters[1] ==
          std::pair<std::string, std::string>{"adapter_in", conv ? "conv1x1 4->2 identity" : "select first 4->2"});
    CHECK(p.parameters[2] ==
          std::pair<std::string, std::string>{"adapter_out", conv ? "conv1x1 2->4 identity" : "zero-pad 2->4"});
    CHECK(back.blocks[1].provenance.kind == ir::ProvenanceKind::kTeacherSpan);
  }
}

TEST_CASE("random adapters: seeded, reproducible, distinct per adapter, scaled by fan-in") {
  const ir::Graph host = relu_sigmoid_host();
  auto build = [&](uint32_t seed) {
    Replacement r;
    r.cut_begin = 0;
    r.cut_end = 1;
    r.graph = relu_graph(3);
    r.adapters.init = AdapterInit::kRandom;
    r.adapters.seed = seed;
    return stitch(host, {r});
  };
  auto weights = [](const ir::Graph& g, size_t node) {
    const ir::TensorData& t = *g.values[static_cast<size_t>(g.nodes[node].inputs[1])].constant;
    return std::vector<float>(t.as<float>(), t.as<float>() + t.elements());
  };
  const ir::Graph a = build(1), b = build(1), c = build(2);
  CHECK(weights(a, 0) == weights(b, 0));
  CHECK(weights(a, 0) != weights(c, 0));
  const auto in = weights(a, 0), out = weights(a, 2);
  REQUIRE(in.size() == 12);
  REQUIRE(out.size() == 12);
  for (float w : in) CHECK(std::abs(w) <= std::sqrt(3.0f / 4.0f));
  for (float w : out) CHECK(std::abs(w) <= std::sqrt(3.0f / 3.0f));
  CHECK(in != std::vector<float>(12, 0.0f));
  CHECK(a.blocks[0].provenance.parameters[0].second == "conv1x1 4->3 random seed 1");
}

TEST_CASE("stitch errors name the spans and shapes") {
  const ir::Graph host = two_residual_graph();
  Replacement r1 = self_replacement(host, 1, 3), r2 = self_replacement(host, 2, 4);
  r1.name = "first";
  r2.name = "second";
  CHECK(error_of([&] { stitch(host, {r1, r2}); }) == "stitch: replacements 'first' [1, 3] and 'second' [2, 4] overlap");

  Replacement bad = self_replacement(host, 1, 3);
  bad.cut_end = 6;
  bad.name = "far";
  CHECK(error_of([&] {
          stitch(host, {bad});
        }).find("replacement 'far' for span [1, 6]: not a span of host 'two_residual', which has 6 cuts") !=
        std::string::npos);

  // The chain's conv2 halves H and W: a [1,4,8,8] -> [1,4,8,8] block cannot replace it.
  const ir::Graph chain = chain_graph();
  Replacement spatial;
  spatial.cut_begin = 2;
  spatial.cut_end = 3;
  spatial.graph = extract_span(host, 1, 3);
  spatial.name = "res";
  const std::string message = error_of([&] { stitch(chain, {spatial}); });
  CHECK(message.find("replacement 'res' for span [2, 3]: output at host cut 3 ('conv2_out')") != std::string::npos);
  CHECK(message.find("[1,4,8,8] and [1,4,4,4] differ beyond the channel axis") != std::string::npos);

  Replacement two_outputs = self_replacement(host, 1, 3);
  two_outputs.graph.outputs.push_back(two_outputs.graph.inputs[0]);
  CHECK(error_of([&] { stitch(host, {two_outputs}); }).find("must have one input and one output, it has 1 and 2") !=
        std::string::npos);
}
