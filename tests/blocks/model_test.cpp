// Block analysis and surgery on real architectures: the torchvision fixtures
// exported by tests/onnx (seeded random weights), imported with
// load_onnx_for_inference and run on the runtime's reference backend.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include "bespoke/bespoke.h"
#include "blocks/surgery.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "ir/cost.h"
#include "ir/passes.h"
#include "onnx_export/onnx_writer.h"
#include "onnx_import/onnx_importer.h"
#include "runtime_runner.h"
#include "support/test_assets.h"
#include "test_util.h"

namespace {

using namespace bespoke;
using namespace bespoke::blocks;
using namespace bespoke::test;

std::string fixture(const std::string& model) {
  return std::string(BESPOKE_BINARY_DIR) + "/fixtures/torchvision/" + model + "/model.onnx";
}

// The model named after its fixture, or nullptr (and a message) when absent.
std::unique_ptr<ir::Graph> load(const std::string& model) {
  const std::string path = fixture(model);
  if (!bespoke::test::require_asset(path, "exported by the CTest fixture onnx_torchvision_export")) return nullptr;
  auto g = std::make_unique<ir::Graph>(onnx_import::load_onnx_for_inference(path));
  g->name = model;
  return g;
}

int unit_named(const BlockAnalysis& a, const std::string& name) {
  for (size_t u = 0; u < a.units.size(); ++u)
    if (a.units[u].name == name) return static_cast<int>(u);
  FAIL("no unit named " << name);
  return -1;
}

std::vector<std::string> names_of(const BlockAnalysis& a) {
  std::vector<std::string> names;
  for (const auto& u : a.units) names.push_back(u.name);
  return names;
}

bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

TEST_CASE("resnet18: stem, eight basic blocks as single units, head") {
  const auto g = load("resnet18");
  if (!g) return;
  const BlockAnalysis a = analyze_blocks(*g);
  CHECK(names_of(a) == std::vector<std::string>{"conv1", "maxpool", "layer1.0", "layer1.1", "layer2.0", "layer2.1",
                                                "layer3.0", "layer3.1", "layer4.0", "layer4.1", "avgpool", "Flatten",
                                                "fc"});
  CHECK(a.cuts.size() == 14);
  CHECK(a.span_count() == 91);
  for (const char* downsampling : {"layer2.0", "layer3.0", "layer4.0"}) {
    const SubNetwork& u = a.units[static_cast<size_t>(unit_named(a, downsampling))];
    CHECK(u.stride == 2.0);
    CHECK(u.nodes.size() == 4);  // conv1, conv2, downsample conv, Add (activations fused)
  }
  CHECK(a.units[2].input_shape == ir::Shape{1, 64, 56, 56});
  CHECK(a.units[12].output_shape == ir::Shape{1, 1000});
  CHECK(!a.units[12].stride.has_value());
  // Units partition the graph: their costs add up to the whole graph's.
  const ir::GraphSummary summary = ir::summarize(*g);
  const SubNetwork whole = a.span(0, 13);
  CHECK(whole.params == summary.parameters);
  CHECK(whole.flops == summary.flops);
  CHECK(whole.nodes.size() == g->nodes.size());
}

TEST_CASE("mobilenet_v2: every inverted residual with a skip connection is one unit") {
  const auto g = load("mobilenet_v2");
  if (!g) return;
  const BlockAnalysis a = analyze_blocks(*g);
  auto units_of = [&](int block) {
    const std::string name = "features." + std::to_string(block);
    int exact = 0, inside = 0;
    for (const auto& u : a.units) {
      exact += u.name == name;
      inside += u.name.rfind(name + "/", 0) == 0;
    }
    return std::pair<int, int>{exact, inside};
  };
  // torchvision's MobileNetV2 settings: the blocks that keep shape and stride have the skip.
  for (int block : {3, 5, 6, 8, 9, 10, 12, 13, 15, 16}) {
    CAPTURE(block);
    CHECK(units_of(block) == std::pair<int, int>{1, 0});
    const SubNetwork& u = a.units[static_cast<size_t>(unit_named(a, "features." + std::to_string(block)))];
    CHECK(u.input_shape == u.output_shape);
    CHECK(g->nodes[static_cast<size_t>(u.nodes.back())].op == "Add");
  }
  // Without a skip, expand / depthwise / project are separate units.
  for (int block : {1, 2, 4, 7, 11, 14, 17}) {
    CAPTURE(block);
    CHECK(units_of(block).first == 0);
    CHECK(units_of(block).second >= 2);
  }
}

TEST_CASE("every fixture: units partition the nodes and spans are consistent") {
  for (const char* model : {"mobilenet_v3_small", "efficientnet_b0", "shufflenet_v2_x0_5"}) {
    CAPTURE(model);
    const auto g = load(model);
    if (!g) continue;
    const BlockAnalysis a = analyze_blocks(*g);
    CHECK(a.units.size() >= 20);
    size_t nodes = 0;
    for (const auto& u : a.units) nodes += u.nodes.size();
    CHECK(nodes == g->nodes.size());
    CHECK(a.span(0, static_cast<int>(a.units.size())).flops == ir::summarize(*g).flops);
  }
}

TEST_CASE("resnet18: extracted spans run in sequence, and stitched back, reproduce the model bit for bit") {
  const auto g = load("resnet18");
  if (!g) return;
  const auto x = sample_input(*g, 21);
  const auto expected = run_reference(*g, x);
  REQUIRE(expected.size() == 1000);

  const ir::Graph front = extract_span(*g, 0, 4), back = extract_span(*g, 4, 13);
  CHECK(ir::validate(front, true).empty());
  CHECK(ir::validate(back, true).empty());
  CHECK(run_reference(back, run_reference(front, x)) == expected);

  // A span written as ONNX and imported again computes the same.
  const std::string onnx_path = std::string(BESPOKE_BINARY_DIR) + "/tests/blocks/resnet18_front.onnx";
  onnx_export::save_onnx(front, onnx_path);
  const ir::Graph reimported = onnx_import::load_onnx_for_inference(onnx_path);
  const auto front_y = run_reference(front, x), reimported_y = run_reference(reimported, x);
  REQUIRE(front_y.size() == reimported_y.size());
  float worst = 0.0f;
  for (size_t i = 0; i < front_y.size(); ++i)
    worst = std::max(worst, std::abs(reimported_y[i] - front_y[i]) / (1.0f + std::abs(front_y[i])));
  CHECK(worst <= 1e-5f);

  std::vector<Replacement> self;
  for (auto [a, b] : {std::pair<int, int>{2, 4}, {8, 10}}) {
    Replacement r;
    r.cut_begin = a;
    r.cut_end = b;
    r.graph = extract_span(*g, a, b);
    r.provenance = teacher_span_provenance(a, b);
    self.push_back(std::move(r));
  }
  const ir::Graph stitched = stitch(*g, self);
  CHECK(ir::validate(stitched, true).empty());
  CHECK(stitched.nodes.size() == g->nodes.size());
  CHECK(run_reference(stitched, x) == expected);
}

TEST_CASE("resnet18 with a mobilenet_v2 block in place of layer1.0: adapters, provenance, runtime") {
  const auto host = load("resnet18");
  const auto source = load("mobilenet_v2");
  if (!host || !source) return;
  const BlockAnalysis ha = analyze_blocks(*host), sa = analyze_blocks(*source);
  const int layer = unit_named(ha, "layer1.0"), block = unit_named(sa, "features.3");
  const SubNetwork span = sa.span(block, block + 1);

  Replacement r;
  r.cut_begin = layer;
  r.cut_end = layer + 1;
  r.graph = extract_span(*source, block, block + 1);
  r.provenance = pretrained_span_provenance(*source, span);
  r.name = "mv2.features.3";
  const ir::Graph g = stitch(*host, {r});
  CHECK(ir::validate(g, true).empty());
  // 64 -> 24 and 24 -> 64 1x1 convs with biases around the 24-channel block.
  const int64_t adapters = (64 * 24 + 24) + (24 * 64 + 64);
  CHECK(ir::summarize(g).parameters ==
        ir::summarize(*host).parameters - ha.units[static_cast<size_t>(layer)].params + span.params + adapters);

  const std::vector<uint8_t> file = exporter::write_bspk(g);
  const ir::Graph back = exporter::read_bspk(file.data(), file.size());
  REQUIRE(back.blocks.size() == 13);
  const ir::Block& b = back.blocks[static_cast<size_t>(layer)];
  CHECK(b.name == "mv2.features.3");
  CHECK(b.provenance.kind == ir::ProvenanceKind::kPretrainedSpan);
  CHECK(b.provenance.source_model == "mobilenet_v2");
  CHECK(b.provenance.source_node_begin == source->nodes[static_cast<size_t>(span.nodes.front())].name);
  CHECK(b.provenance.source_node_end == source->nodes[static_cast<size_t>(span.nodes.back())].name);
  CHECK(b.provenance.teacher_cut_begin == layer);
  CHECK(b.provenance.teacher_cut_end == layer + 1);
  REQUIRE(b.provenance.parameters.size() == 2);
  CHECK(b.provenance.parameters[0].second == "conv1x1 64->24 identity");
  CHECK(b.provenance.parameters[1].second == "conv1x1 24->64 identity");
  CHECK(back.blocks[0].provenance.kind == ir::ProvenanceKind::kTeacherSpan);

  const auto x = sample_input(*host, 4);
  const auto y = run_reference(g, x);
  CHECK(y.size() == 1000);
  CHECK(all_finite(y));

  r.adapters.kind = AdapterKind::kChannelSelect;
  const ir::Graph selected = stitch(*host, {r});
  CHECK(ir::validate(selected, true).empty());
  CHECK(ir::summarize(selected).parameters ==
        ir::summarize(*host).parameters - ha.units[static_cast<size_t>(layer)].params + span.params);
  CHECK(all_finite(run_reference(selected, x)));

  // The same block cannot replace a 28x28 span.
  r.cut_begin = unit_named(ha, "layer2.1");
  r.cut_end = r.cut_begin + 1;
  const std::string message = error_of([&] { stitch(*host, {r}); });
  CHECK(message.find("stitch: replacement 'mv2.features.3' for span [5, 6]: input at host cut 5") != std::string::npos);
  CHECK(message.find("[1,128,28,28] and [1,24,56,56] differ beyond the channel axis") != std::string::npos);
}

TEST_CASE("resnet18 unit blocks: written to .bspk and profiled per unit by the runtime") {
  const auto loaded = load("resnet18");
  if (!loaded) return;
  ir::Graph g = *loaded;
  const BlockAnalysis a = assign_unit_blocks(g);
  const std::vector<uint8_t> file = exporter::write_bspk(g);
  const ir::Graph back = exporter::read_bspk(file.data(), file.size());
  REQUIRE(back.blocks.size() == a.units.size());
  CHECK(back.blocks[4].name == "layer2.0");
  CHECK(back.blocks[4].provenance.teacher_cut_begin == 4);

  bsp_model* model = nullptr;
  REQUIRE(bsp_model_load_memory(file.data(), file.size(), 0, &model) == BSP_OK);
  CHECK(bsp_model_block_count(model) == a.units.size());
  bsp_session_options options;
  bsp_session_options_init(&options);
  options.backend = BSP_BACKEND_REFERENCE;
  options.enable_profiling = 1;
  bsp_session* session = nullptr;
  REQUIRE(bsp_session_create(model, &options, &session) == BSP_OK);
  const auto x = sample_input(g, 1);
  REQUIRE(bsp_session_set_input(session, 0, x.data(), x.size() * sizeof(float)) == BSP_OK);
  REQUIRE(bsp_session_run(session) == BSP_OK);
  REQUIRE(bsp_session_profile_count(session, BSP_PROFILE_BLOCKS) == a.units.size());
  bsp_profile_entry entry;
  entry.struct_size = sizeof(entry);
  REQUIRE(bsp_session_profile_entry(session, BSP_PROFILE_BLOCKS, 2, &entry) == BSP_OK);
  CHECK(std::string(entry.name) == "layer1.0");
  CHECK(entry.runs == 1);
  bsp_session_destroy(session);
  bsp_model_destroy(model);
}
