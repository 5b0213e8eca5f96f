// torchvision CNNs exported by export_torchvision.py (the CTest fixture
// "torchvision_onnx") load into canonical graphs whose layer counts match the
// PyTorch modules (meta.json, counted from the module tree).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "ir/op_set.h"
#include "onnx_import/onnx_importer.h"
#include "support/test_assets.h"

namespace fs = std::filesystem;
using bespoke::ir::Graph;
using bespoke::ir::Shape;

namespace {

const std::string kFixtures = BESPOKE_BINARY_DIR "/fixtures/torchvision";

struct Loaded {
  Graph graph;
  std::map<std::string, int> ops;
  nlohmann::json layers;
};

// nullopt (with a message) when the fixture was not generated.
std::optional<Loaded> load(const std::string& name) {
  const std::string dir = kFixtures + "/" + name;
  for (const char* file : {"/model.onnx", "/meta.json"})
    if (!bespoke::test::require_asset(dir + file, "the CTest fixture onnx_torchvision_export writes it"))
      return std::nullopt;
  Loaded l;
  l.graph = bespoke::onnx_import::load_onnx_for_inference(dir + "/model.onnx");
  for (const auto& n : l.graph.nodes) ++l.ops[n.op];
  std::ifstream meta(dir + "/meta.json");
  l.layers = nlohmann::json::parse(meta).at("layers");
  return l;
}

void check_common(const Loaded& l) {
  const Graph& g = l.graph;
  for (const auto& n : g.nodes) CHECK_MESSAGE(bespoke::ir::is_canonical_op(n.op), n.op << " is not canonical");
  REQUIRE(g.inputs.size() == 1);
  REQUIRE(g.outputs.size() == 1);
  CHECK(g.shape_of(g.inputs[0]) == Shape{1, 3, 224, 224});
  CHECK(g.shape_of(g.outputs[0]) == Shape{1, 1000});
  CHECK(l.ops.count("BatchNormalization") == 0);
  CHECK(l.ops.at("Conv") == l.layers.at("Conv2d").get<int>());
  CHECK(l.ops.at("FullyConnected") == l.layers.at("Linear").get<int>());
}

std::string op_list(const Loaded& l) {
  std::string s;
  for (const auto& [op, n] : l.ops) s += op + " " + std::to_string(n) + ", ";
  return s;
}

}  // namespace

TEST_CASE("resnet18: 20 Conv, 8 residual Adds, 1 MaxPool, 1 FullyConnected") {
  auto l = load("resnet18");
  if (!l) return;
  MESSAGE(op_list(*l));
  check_common(*l);
  CHECK(l->ops["Conv"] == 20);
  CHECK(l->ops["Add"] == 8);
  CHECK(l->ops["MaxPool"] == 1);
  CHECK(l->ops["GlobalAveragePool"] == 1);
  CHECK(l->ops["Relu"] == 0);  // all fused into Conv / Add
}

TEST_CASE("mobilenet_v2: 52 Conv with fused ReLU6, 10 residual Adds") {
  auto l = load("mobilenet_v2");
  if (!l) return;
  MESSAGE(op_list(*l));
  check_common(*l);
  CHECK(l->ops["Conv"] == 52);
  CHECK(l->ops["Add"] == 10);
  CHECK(l->ops["Clip"] == 0);  // ReLU6 fused into the convolutions
}

TEST_CASE("mobilenet_v3_small: 52 Conv, hard-swish and squeeze-excitation") {
  auto l = load("mobilenet_v3_small");
  if (!l) return;
  MESSAGE(op_list(*l));
  check_common(*l);
  CHECK(l->ops["Conv"] == 52);
  CHECK(l->ops["FullyConnected"] == 2);
  CHECK(l->ops["GlobalAveragePool"] == 10);
  CHECK(l->ops["HardSigmoid"] + l->ops["HardSwish"] >= 28);
}

TEST_CASE("efficientnet_b0: 81 Conv, SiLU activations, 16 squeeze-excitation pools") {
  auto l = load("efficientnet_b0");
  if (!l) return;
  MESSAGE(op_list(*l));
  check_common(*l);
  CHECK(l->ops["Conv"] == 81);
  CHECK(l->ops["GlobalAveragePool"] == 17);
  CHECK(l->ops["SiLU"] + l->ops["Sigmoid"] >= 49);
}

TEST_CASE("shufflenet_v2_x0_5: 56 Conv; shape arithmetic folded, channel split as Slice/Split") {
  auto l = load("shufflenet_v2_x0_5");
  if (!l) return;
  MESSAGE(op_list(*l));
  check_common(*l);
  CHECK(l->ops["Conv"] == 56);
  CHECK(l->ops["Concat"] == 16);
  CHECK(l->ops["ChannelShuffle"] + l->ops["Transpose"] == 16);
  CHECK(l->ops["ReduceMean"] == 1);
}
