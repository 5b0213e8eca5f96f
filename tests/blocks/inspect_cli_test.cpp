// bespoke-opt inspect run as a process on the torchvision fixtures, the
// PP-OCR detector, a .bspk with stored blocks, and bad inputs.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "blocks/block_analysis.h"
#include "blocks/unit_blocks.h"
#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "ir/passes.h"
#include "support/graph_builder.h"
#include "support/run_tool.h"
#include "support/test_assets.h"

namespace fs = std::filesystem;

namespace {

using namespace bespoke;
using nlohmann::json;

const std::string kTool = BESPOKE_OPT_PATH;
const std::string kWork = BESPOKE_BINARY_DIR "/tests/blocks/cli_work";
const std::string kFixtures = BESPOKE_BINARY_DIR "/fixtures/torchvision/";
const std::string kOcrDetector = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx";

using test::count_lines;
using test::ToolRun;

ToolRun run(const std::string& args) { return test::run_tool(kTool, args, kWork); }

bool present(const std::string& path) {
  return bespoke::test::require_asset(path,
                                      "npm assets (scripts/install-deps) or the CTest fixture onnx_torchvision_export");
}

// A failure: a one-line message on stderr, nothing on stdout, a small exit code.
void check_one_line_error(const ToolRun& r, int exit_code, const std::string& fragment) {
  CHECK(r.exit_code == exit_code);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err.rfind("bespoke-opt", 0) == 0);
  CHECK_MESSAGE(r.err.find(fragment) != std::string::npos, r.err);
}

}  // namespace

TEST_CASE("inspect prints the unit table of resnet18") {
  const std::string model = kFixtures + "resnet18/model.onnx";
  if (!present(model)) return;
  const ToolRun r = run("inspect '" + model + "'");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  INFO(r.out);
  CHECK(r.out.find("cuts: 14  units: 13  spans: 91") != std::string::npos);
  CHECK(r.out.find("input:  input [1,3,224,224]") != std::string::npos);
  CHECK(r.out.find("   4  layer2.0  [1,64,56,56] -> [1,128,28,28]") != std::string::npos);
  CHECK(r.out.find("unit  name") != std::string::npos);
}

TEST_CASE("inspect --json agrees with the block analysis library on every fixture") {
  for (const char* name : {"resnet18", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0", "shufflenet_v2_x0_5"}) {
    CAPTURE(name);
    const std::string model = kFixtures + name + "/model.onnx";
    if (!present(model)) continue;
    const ToolRun r = run("inspect '" + model + "' --json");
    REQUIRE(r.exit_code == 0);
    const json j = json::parse(r.out);
    CHECK(j["format"] == "onnx");
    CHECK(j["unit_count"].get<size_t>() + 1 == j["cut_count"].get<size_t>());
    const size_t units = j["unit_count"];
    CHECK(j["span_count"] == units * (units + 1) / 2);
    CHECK(j["units"].size() == units);
    CHECK(j["cuts"].size() == units + 1);
    int64_t params = 0, flops = 0;
    size_t nodes = 0;
    for (size_t u = 0; u < units; ++u) {
      const json& unit = j["units"][u];
      CHECK(unit["index"] == u);
      CHECK(unit["input"]["name"] == j["cuts"][u]["name"]);
      CHECK(unit["output"]["name"] == j["cuts"][u + 1]["name"]);
      params += unit["params"].get<int64_t>();
      flops += unit["flops"].get<int64_t>();
      nodes += unit["nodes"].get<size_t>();
    }
    CHECK(nodes == j["nodes"]);
    CHECK(flops == j["flops"]);
    CHECK(params >= j["parameters"].get<int64_t>());  // shared weights count once in the total
    CHECK(j["units"][0]["input"]["shape"] == json::array({1, 3, 224, 224}));
    CHECK(j["outputs"][0]["shape"] == json::array({1, 1000}));
  }
}

TEST_CASE("inspect the PP-OCR detector at 320x320") {
  if (!present(kOcrDetector)) return;
  const ToolRun r = run("inspect '" + kOcrDetector + "' --input-shape x=1,3,320,320 --json");
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["inputs"][0]["shape"] == json::array({1, 3, 320, 320}));
  CHECK(j["outputs"][0]["shape"] == json::array({1, 1, 320, 320}));
  CHECK(j["unit_count"].get<size_t>() > 10);
  // The backbone downsamples by 2 at its first conv.
  CHECK(j["units"][0]["stride"] == 2.0);
}

TEST_CASE("inspect a .bspk lists the stored blocks with provenance") {
  test::GraphBuilder b;
  b.g.name = "tiny";
  const int x = b.input("x", {1, 2, 4, 4});
  b.output(b.op("Sigmoid", {b.op("Relu", {x}, {}, "relu")}, {}, "sigmoid"));
  ir::infer_shapes(b.g);
  blocks::assign_unit_blocks(b.g);
  b.g.blocks[1].provenance.kind = ir::ProvenanceKind::kLowRank;
  b.g.blocks[1].provenance.parameters = {{"rank", "16"}};
  const std::string path = kWork + "/tiny.bspk";
  fs::create_directories(kWork);
  exporter::save_bspk(b.g, path);

  const ToolRun r = run("inspect '" + path + "' --json");
  REQUIRE(r.exit_code == 0);
  const json j = json::parse(r.out);
  CHECK(j["format"] == "bspk");
  CHECK(j["unit_count"] == 2);
  REQUIRE(j["stored_blocks"].size() == 2);
  CHECK(j["stored_blocks"][1]["name"] == "sigmoid");
  CHECK(j["stored_blocks"][1]["provenance"]["kind"] == "low_rank");
  CHECK(j["stored_blocks"][1]["provenance"]["parameters"]["rank"] == "16");
  CHECK(j["stored_blocks"][0]["provenance"]["teacher_cut_end"] == 1);

  const ToolRun text = run("inspect '" + path + "'");
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("block 1 'sigmoid': nodes 1..1, low_rank [1, 2], rank=16") != std::string::npos);

  check_one_line_error(run("inspect '" + path + "' --input-shape x=1,2,4,4"), 2, "applies to ONNX models only");
}

TEST_CASE("inspect errors: one line on stderr, exit code below 128") {
  check_one_line_error(run("inspect /nonexistent/model.onnx"), 1, "cannot open '/nonexistent/model.onnx'");
  check_one_line_error(run(""), 2, "bespoke-opt: ");
  check_one_line_error(run("inspect"), 2, "bespoke-opt inspect: ");
  check_one_line_error(run("inspect a.onnx --frobnicate"), 2, "--frobnicate");
  check_one_line_error(run("inspect a.onnx --input-shape x=1,three"), 2, "'three' is not a positive integer");

  // A model with two outputs cannot be cut into SISO units.
  test::GraphBuilder b;
  b.g.name = "two_heads";
  const int x = b.input("x", {1, 2});
  b.output(b.op("Relu", {x}));
  b.output(b.op("Sigmoid", {x}));
  ir::infer_shapes(b.g);
  const std::string path = kWork + "/two_heads.bspk";
  fs::create_directories(kWork);
  exporter::save_bspk(b.g, path);
  check_one_line_error(run("inspect '" + path + "'"), 1, "needs exactly one input and one output, got 1 input(s)");

  std::ofstream(kWork + "/garbage.onnx") << "not a model";
  check_one_line_error(run("inspect '" + kWork + "/garbage.onnx'"), 1, "garbage.onnx");
}

TEST_CASE("inspect --ir prints the graph, any number of outputs, and refuses --json") {
  test::GraphBuilder b;
  b.g.name = "two_heads";
  const int x = b.input("x", {1, 2});
  b.output(b.op("Relu", {x}, {}, "relu"));
  b.output(b.op("Sigmoid", {x}, {}, "sigmoid"));
  ir::infer_shapes(b.g);
  const std::string path = kWork + "/two_heads_ir.bspk";
  fs::create_directories(kWork);
  exporter::save_bspk(b.g, path);

  const ToolRun r = run("inspect '" + path + "' --ir");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  // The graph read back from the file, as ir::print_graph writes it.
  CHECK(r.out ==
        "graph 'two_heads' (2 nodes, 3 values, 0 constants, 0 blocks)\n"
        "input   x float32[1,2]\n"
        "node 0  Relu 'relu'  x float32[1,2] -> relu_out float32[1,2]\n"
        "node 1  Sigmoid 'sigmoid'  x float32[1,2] -> sigmoid_out float32[1,2]\n"
        "output  relu_out float32[1,2]\n"
        "output  sigmoid_out float32[1,2]\n");
  check_one_line_error(run("inspect '" + path + "' --ir --json"), 2, "does not combine with --json");
}
