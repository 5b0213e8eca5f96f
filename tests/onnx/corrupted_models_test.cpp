// Hostile input: randomly corrupted copies of a valid model go through the
// whole pipeline. Each must load or fail with an ImportError -- never another
// exception, a crash or a runaway allocation (run under ASan in CI builds).
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

#include "onnx_import/onnx_importer.h"
#include "onnx_model_builder.h"

using bespoke::onnx_import::ImportError;
using bespoke::test::OnnxModelBuilder;

namespace {

// Conv -> Relu -> MaxPool -> Flatten -> Gemm -> Softmax, every parameter as
// an initializer: many attribute kinds and tensors for mutations to hit.
std::string reference_model() {
  OnnxModelBuilder b(13, "victim");
  b.input("x", {1, 2, 8, 8}).output("y");
  b.ramp_initializer("w", {4, 2, 3, 3});
  b.ramp_initializer("b", {4});
  b.ramp_initializer("fc_w", {10, 64});
  b.ramp_initializer("fc_b", {10});
  auto& conv = b.node("Conv", {"x", "w", "b"}, {"c"}, "conv");
  OnnxModelBuilder::set_ints(conv, "pads", {1, 1, 1, 1});
  b.node("Relu", {"c"}, {"r"}, "relu");
  auto& pool = b.node("MaxPool", {"r"}, {"p"}, "pool");
  OnnxModelBuilder::set_ints(pool, "kernel_shape", {2, 2});
  OnnxModelBuilder::set_ints(pool, "strides", {2, 2});
  b.node("Flatten", {"p"}, {"f"}, "flatten");
  OnnxModelBuilder::set_int(b.node("Gemm", {"f", "fc_w", "fc_b"}, {"g"}, "fc"), "transB", 1);
  b.node("Softmax", {"g"}, {"y"}, "softmax");
  return b.bytes();
}

}  // namespace

TEST_CASE("corrupted models load or fail with an ImportError") {
  const std::string original = reference_model();
  const std::string dir = BESPOKE_BINARY_DIR "/tests/onnx/corrupted";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/model.onnx";

  // The unmodified model converts.
  std::ofstream(path, std::ios::binary) << original;
  CHECK_NOTHROW(bespoke::onnx_import::load_onnx_for_inference(path));

  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int loaded = 0, rejected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bytes = original;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = next() % bytes.size();
      switch (next() % 3) {
        case 0: bytes[at] = static_cast<char>(next()); break;                           // overwrite a byte
        case 1: bytes[at] = static_cast<char>(bytes[at] ^ (1 << (next() % 8))); break;  // flip a bit
        default: bytes.resize(at); break;                                               // truncate
      }
      if (bytes.empty()) bytes = "x";
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    CAPTURE(trial);
    try {
      bespoke::onnx_import::load_onnx_for_inference(path);
      ++loaded;
    } catch (const ImportError& e) {
      ++rejected;
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    } catch (const std::exception& e) {
      FAIL_CHECK("not an ImportError: " << e.what());
    }
  }
  MESSAGE(loaded << " corrupted models still loaded, " << rejected << " rejected");
  CHECK(rejected > 0);
}
