// The XNNPACK backend as a Backend: identity, layout, refusals and errors,
// and a hand-computed result that does not depend on the reference backend.
#include <string>

#include "xnnpack/xnnpack_test_util.h"

namespace bespoke::test {
namespace {

TEST_CASE("make_xnnpack_backend gives an NHWC backend named xnnpack") {
  rt::Backend& backend = xnnpack_backend();
  CHECK(backend.name() == "xnnpack");
  CHECK(backend.layout() == rt::Layout::kNHWC);
  // Every call initialises XNNPACK once and hands out an independent backend.
  std::unique_ptr<rt::Backend> another = rt::make_xnnpack_backend();
  REQUIRE(another != nullptr);
  CHECK(another.get() != &backend);
}

// A verified one-operator model kept alive for direct Backend calls.
struct VerifiedModel {
  explicit VerifiedModel(const std::vector<uint8_t>& bytes) : file(bytes.size(), 0) {
    std::memcpy(file.data(), bytes.data(), bytes.size());
    const rt::Status status = rt::verify_model(file.data(), bytes.size(), &view);
    INFO(status.message());
    REQUIRE(status.ok());
  }
  op_runner_detail::AlignedBytes file;
  rt::ModelView view;
};

std::vector<uint8_t> tanh_model() {
  ModelBuilder b;
  const int x = b.add_input("x", {2, 3});
  const int y = b.add_tensor("y", {2, 3});
  b.mark_output(y);
  b.add_op(fb::OpCode::TANH, {x}, {y}, fb::OperatorOptions::NONE, 0, "my_tanh");
  return b.finish();
}

TEST_CASE("xnnpack create_kernel reports an unsupported operator by name") {
  VerifiedModel model(tanh_model());
  rt::Backend& backend = xnnpack_backend();
  CHECK_FALSE(backend.supports(model.view, 0));
  CHECK_FALSE(backend.supports(model.view, 1));   // out of range
  CHECK_FALSE(backend.supports(model.view, -1));  // out of range
  std::unique_ptr<rt::Kernel> kernel;
  const rt::Status status = backend.create_kernel(model.view, 0, rt::ExecutionContext{}, &kernel);
  CHECK(status.code() == rt::StatusCode::kUnsupported);
  CHECK(status.message().find("operator 0 'my_tanh' (TANH)") != std::string::npos);
  CHECK(kernel == nullptr);
  CHECK(backend.create_kernel(model.view, 3, rt::ExecutionContext{}, &kernel).code() ==
        rt::StatusCode::kInvalidArgument);
}

TEST_CASE("xnnpack CONV_2D with hand-computed values") {
  // x: one 2-channel 2x2 image; y[m] = sum_c w[m][c] * x[c] + b[m], then RELU.
  OpCase t;
  const int x = t.input_values({1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40});
  const int w = t.constant_values({2, 2, 1, 1}, {1, 0.5f, -1, 0});
  const int b = t.constant_values({2}, {0, 2});
  const int y = t.output({1, 2, 2, 2});
  const fb::FusedActivation relu = relu_activation();
  t.op(fb::OpCode::CONV_2D, {x, w, b}, {y}, fb::OperatorOptions::Conv2DOptions,
       fb::CreateConv2DOptions(t.fbb(), 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, &relu).Union());
  const std::vector<std::vector<float>> out = t.run_xnnpack();
  // Channel 0: x0 + 0.5 * x1; channel 1: max(0, 2 - x0).
  CHECK(out[0] == std::vector<float>{6, 12, 18, 24, 1, 0, 0, 0});
}

TEST_CASE("xnnpack MAX_POOL_2D pads with -inf, not zero") {
  OpCase t;
  const int x = t.input_values({1, 1, 2, 2}, {-1, -2, -3, -4});
  const int y = t.output({1, 1, 2, 2});
  t.op(fb::OpCode::MAX_POOL_2D, {x}, {y}, fb::OperatorOptions::Pool2DOptions,
       fb::CreatePool2DOptions(t.fbb(), 2, 2, 1, 1, 1, 1, 0, 0, 1, 1).Union());
  CHECK(t.run_xnnpack()[0] == std::vector<float>{-1, -2, -3, -4});
}

}  // namespace
}  // namespace bespoke::test
