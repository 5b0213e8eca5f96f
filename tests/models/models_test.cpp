// Real architectures end to end (label "models"):
//  * torchvision CNNs with seeded random weights, reference = PyTorch
//    (fixtures of tests/onnx/, ${BESPOKE_BINARY_DIR}/fixtures/torchvision/<name>/);
//  * the public PP-OCR models, reference = ONNX Runtime (fixtures of
//    tests/models/CMakeLists.txt, tests/fixtures/ort_run.js).
#include <doctest/doctest.h>

#include <string>

#include "reference_model_check.h"

using bespoke::test::models::ReferenceModel;

namespace {

const std::string kBinary = BESPOKE_BINARY_DIR;
const std::string kOcrAssets = BESPOKE_OCR_ASSETS_DIR;

ReferenceModel torchvision(const std::string& name) {
  const std::string dir = kBinary + "/fixtures/torchvision/" + name;
  ReferenceModel m;
  m.label = name;
  m.onnx_path = dir + "/model.onnx";
  m.input_npy = dir + "/input.npy";
  m.output_npys = {dir + "/output.npy"};
  m.how_to_get = "the CTest fixture onnx_torchvision_export writes it with python3-torch";
  // Default rtol 1e-3 / atol 1e-4 (see tests/conformance/tolerances.h): the
  // logits of these nets are O(1..10), so this is ~4 significant digits after
  // 20-50 layers of float32 arithmetic in a different summation order.
  return m;
}

ReferenceModel ppocr(const std::string& label, const std::string& asset) {
  const std::string dir = kBinary + "/fixtures/ppocr/" + label;
  ReferenceModel m;
  m.label = "ppocr_" + label;
  m.onnx_path = kOcrAssets + "/" + asset;
  m.input_name = "x";
  m.input_npy = dir + "/input.npy";
  m.output_npys = {dir + "/ort_output_0.npy"};
  m.how_to_get = "scripts/install-deps fetches the npm assets; the fixtures fixture_ppocr_* write the rest";
  return m;
}

}  // namespace

TEST_CASE("models.torchvision.mobilenet_v2") { check_reference_model(torchvision("mobilenet_v2")); }
TEST_CASE("models.torchvision.mobilenet_v3_small") { check_reference_model(torchvision("mobilenet_v3_small")); }
TEST_CASE("models.torchvision.resnet18") { check_reference_model(torchvision("resnet18")); }
TEST_CASE("models.torchvision.efficientnet_b0") { check_reference_model(torchvision("efficientnet_b0")); }
TEST_CASE("models.torchvision.shufflenet_v2_x0_5") { check_reference_model(torchvision("shufflenet_v2_x0_5")); }

// PP-OCRv4 text detection (DBNet head, sigmoid probability map), 1x3x320x320.
TEST_CASE("models.ppocr.det") { check_reference_model(ppocr("det", "ch_PP-OCRv4_det_infer.onnx")); }
// PP-OCR text direction classifier (MobileNetV3-small, softmax over 2 classes), 1x3x48x192.
TEST_CASE("models.ppocr.cls") { check_reference_model(ppocr("cls", "ch_ppocr_mobile_v2.0_cls_infer.onnx")); }
// PP-OCRv4 recognition (SVTR neck: attention, LayerNorm, MatMul), 1x3x48x320.
TEST_CASE("models.ppocr.rec") { check_reference_model(ppocr("rec", "ch_PP-OCRv4_rec_infer.onnx")); }
