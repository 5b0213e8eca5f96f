// Hand-computed cases for the ONNX semantics LibTorch does not have (RESIZE
// nearest rounding modes, the half_pixel / asymmetric / align_corners
// coordinate transforms, explicit scales, 1-pixel outputs), SQRT of negative
// numbers and of -0, and the reference backend's own behaviour (thread-count
// independence, constant fallback, errors). No LibTorch here. Expected values are exact or within kAtol.
#include <cmath>
#include <cstring>

#include "core/verifier.h"
#include "reference/reference_test_util.h"

namespace bespoke::test {
namespace {

using fb::CoordinateTransform;
using fb::NearestRounding;
using fb::ResizeMode;

const std::vector<float> kRow4{10, 20, 30, 40};
const std::vector<float> kRow2{10, 20};

// Resizes a [1, 1, 1, W] row to width `out_w` (height stays 1).
std::vector<float> resize_row(const std::vector<float>& row, int out_w, ResizeMode mode, CoordinateTransform transform,
                              NearestRounding rounding = NearestRounding::ROUND_PREFER_FLOOR, float scale_w = 0.0f) {
  SingleOpModel model;
  const int x = model.input({1, 1, 1, static_cast<int32_t>(row.size())}, row);
  const int y = model.output({1, 1, 1, out_w});
  model.op(fb::OpCode::RESIZE, {x}, {y}, fb::OperatorOptions::ResizeOptions,
           fb::CreateResizeOptions(model.fbb(), mode, transform, rounding, 0.0f, scale_w).Union());
  return model.run()[0];
}

TEST_CASE("RESIZE nearest: the four rounding modes") {
  // asymmetric 4 -> 3: source x / 0.75 = 0, 1.33, 2.67.
  const auto asym3 = [](NearestRounding r) {
    return resize_row(kRow4, 3, ResizeMode::NEAREST, CoordinateTransform::ASYMMETRIC, r);
  };
  CHECK(asym3(NearestRounding::FLOOR) == std::vector<float>{10, 20, 30});
  CHECK(asym3(NearestRounding::CEIL) == std::vector<float>{10, 30, 40});
  CHECK(asym3(NearestRounding::ROUND_PREFER_FLOOR) == std::vector<float>{10, 20, 40});
  CHECK(asym3(NearestRounding::ROUND_PREFER_CEIL) == std::vector<float>{10, 20, 40});

  // asymmetric 4 -> 8: source x / 2 = 0, 0.5, 1, ..., 3.5 — every other one a tie; 4 clamps to 3.
  const auto asym8 = [](NearestRounding r) {
    return resize_row(kRow4, 8, ResizeMode::NEAREST, CoordinateTransform::ASYMMETRIC, r);
  };
  const std::vector<float> ties_down{10, 10, 20, 20, 30, 30, 40, 40}, ties_up{10, 20, 20, 30, 30, 40, 40, 40};
  CHECK(asym8(NearestRounding::ROUND_PREFER_FLOOR) == ties_down);
  CHECK(asym8(NearestRounding::FLOOR) == ties_down);
  CHECK(asym8(NearestRounding::ROUND_PREFER_CEIL) == ties_up);
  CHECK(asym8(NearestRounding::CEIL) == ties_up);
}

TEST_CASE("RESIZE nearest: half_pixel coordinates") {
  // 4 -> 2: source (x + 0.5) * 2 - 0.5 = 0.5, 2.5 (ties).
  const auto down = [](NearestRounding r) {
    return resize_row(kRow4, 2, ResizeMode::NEAREST, CoordinateTransform::HALF_PIXEL, r);
  };
  CHECK(down(NearestRounding::ROUND_PREFER_FLOOR) == std::vector<float>{10, 30});
  CHECK(down(NearestRounding::ROUND_PREFER_CEIL) == std::vector<float>{20, 40});
  CHECK(down(NearestRounding::FLOOR) == std::vector<float>{10, 30});
  CHECK(down(NearestRounding::CEIL) == std::vector<float>{20, 40});

  // 2 -> 4: source (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25; out-of-range indices clamp.
  const auto up = [](NearestRounding r) {
    return resize_row(kRow2, 4, ResizeMode::NEAREST, CoordinateTransform::HALF_PIXEL, r);
  };
  CHECK(up(NearestRounding::ROUND_PREFER_FLOOR) == std::vector<float>{10, 10, 20, 20});
  CHECK(up(NearestRounding::FLOOR) == std::vector<float>{10, 10, 10, 20});
  CHECK(up(NearestRounding::CEIL) == std::vector<float>{10, 20, 20, 20});
}

TEST_CASE("RESIZE linear: the four coordinate transforms") {
  const auto up = [](CoordinateTransform t) { return resize_row(kRow2, 4, ResizeMode::LINEAR, t); };
  // Sources -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
  check_close(up(CoordinateTransform::HALF_PIXEL), {10, 12.5f, 17.5f, 20});
  check_close(up(CoordinateTransform::PYTORCH_HALF_PIXEL), {10, 12.5f, 17.5f, 20});
  // Sources 0, 0.5, 1, 1.5.
  check_close(up(CoordinateTransform::ASYMMETRIC), {10, 15, 20, 20});
  // Sources 0, 1/3, 2/3, 1.
  check_close(up(CoordinateTransform::ALIGN_CORNERS), {10, 40.0f / 3.0f, 50.0f / 3.0f, 20});
}

TEST_CASE("RESIZE linear to one pixel: half_pixel and pytorch_half_pixel differ") {
  const auto one = [](CoordinateTransform t) { return resize_row(kRow4, 1, ResizeMode::LINEAR, t); };
  check_close(one(CoordinateTransform::HALF_PIXEL), {25});  // source 0.5 * 4 - 0.5 = 1.5
  check_close(one(CoordinateTransform::PYTORCH_HALF_PIXEL), {10});
  check_close(one(CoordinateTransform::ALIGN_CORNERS), {10});
  check_close(one(CoordinateTransform::ASYMMETRIC), {10});
}

TEST_CASE("RESIZE uses an explicit scale instead of output / input") {
  // 4 -> 4 with scale 2: asymmetric sources x / 2 = 0, 0.5, 1, 1.5 (not the identity).
  CHECK(resize_row(kRow4, 4, ResizeMode::NEAREST, CoordinateTransform::ASYMMETRIC, NearestRounding::FLOOR, 2.0f) ==
        std::vector<float>{10, 10, 20, 20});
  // half_pixel sources (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25.
  check_close(resize_row(kRow4, 4, ResizeMode::LINEAR, CoordinateTransform::HALF_PIXEL,
                         NearestRounding::ROUND_PREFER_FLOOR, 2.0f),
              {10, 12.5f, 17.5f, 22.5f});
}

TEST_CASE("RESIZE bilinear in two dims") {
  SingleOpModel model;
  const int x = model.input({1, 1, 2, 2}, {1, 2, 3, 4});
  const int y = model.output({1, 1, 3, 3});
  model.op(fb::OpCode::RESIZE, {x}, {y}, fb::OperatorOptions::ResizeOptions,
           fb::CreateResizeOptions(model.fbb(), ResizeMode::LINEAR, CoordinateTransform::ALIGN_CORNERS).Union());
  check_close(model.run()[0], {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4});
}

// A small convolution model whose weights are constants, for the behaviour tests.
struct ConvModel {
  SingleOpModel model;
  std::vector<float> x = random_values(2 * 4 * 9 * 9, 7);
  ConvModel() {
    const int xi = model.input({2, 4, 9, 9}, x);
    const int wi = model.constant({6, 2, 3, 3}, random_values(6 * 2 * 9, 8));
    const int bi = model.constant({6}, random_values(6, 9));
    const int yi = model.output({2, 6, 5, 5});
    const fb::FusedActivation relu(fb::ActivationType::RELU, 0.0f, 0.0f);
    model.op(fb::OpCode::CONV_2D, {xi, wi, bi}, {yi}, fb::OperatorOptions::Conv2DOptions,
             fb::CreateConv2DOptions(model.fbb(), 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2, &relu).Union());
  }
};

TEST_CASE("reference backend identity") {
  auto backend = rt::make_reference_backend();
  REQUIRE(backend != nullptr);
  CHECK(backend->name() == "reference");
  CHECK(backend->layout() == rt::Layout::kNCHW);
}

TEST_CASE("results do not depend on the thread count") {
  ConvModel conv;
  const auto one = conv.model.run(1)[0];
  CHECK(conv.model.run(2)[0] == one);
  CHECK(conv.model.run(3)[0] == one);

  SingleOpModel add;
  const int a = add.input({3, 1, 40, 33}, random_values(3 * 40 * 33, 11));
  const int b = add.input({5, 1, 33}, random_values(5 * 33, 12));
  const int y = add.output({3, 5, 40, 33});
  add.op(fb::OpCode::ADD, {a, b}, {y}, fb::OperatorOptions::BinaryOptions, fb::CreateBinaryOptions(add.fbb()).Union());
  CHECK(add.run(2)[0] == add.run(1)[0]);
}

// Drives the Kernel interface directly, as the session does.
TEST_CASE("kernel: constant fallback, repeated runs, setup errors") {
  ConvModel conv;
  const auto expected = conv.model.run()[0];
  const std::vector<uint8_t>& bytes = conv.model.bytes();
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  rt::ModelView view;
  rt::Status status = rt::verify_model(aligned.data(), bytes.size(), &view);
  INFO(status.message());
  REQUIRE(status.ok());

  auto backend = rt::make_reference_backend();
  REQUIRE(backend->supports(view, 0));
  CHECK_FALSE(backend->supports(view, 1));
  rt::ExecutionContext context;
  std::unique_ptr<rt::Kernel> kernel;
  CHECK(backend->create_kernel(view, 5, context, &kernel).code() == rt::StatusCode::kInvalidArgument);
  REQUIRE(backend->create_kernel(view, 0, context, &kernel).ok());

  std::vector<float> out(expected.size(), -1.0f);
  // Weights and bias passed as nullptr: the kernel reads the model's constants.
  const void* inputs[] = {conv.x.data(), nullptr, nullptr};
  void* missing_output[] = {nullptr};
  CHECK(kernel->setup(inputs, missing_output).code() == rt::StatusCode::kInvalidArgument);
  const void* missing_input[] = {nullptr, nullptr, nullptr};
  void* outputs[] = {out.data()};
  CHECK(kernel->setup(missing_input, outputs).code() == rt::StatusCode::kInvalidArgument);

  REQUIRE(kernel->setup(inputs, outputs).ok());
  REQUIRE(kernel->run().ok());
  CHECK(out == expected);
  std::fill(out.begin(), out.end(), -1.0f);
  REQUIRE(kernel->run().ok());
  CHECK(out == expected);
}

TEST_CASE("SQRT: square roots, NaN for negative inputs") {
  SingleOpModel model;
  const int x = model.input({2, 3}, {0.0f, 1.0f, 2.25f, 1e-8f, -1.0f, -0.0f});
  const int y = model.output({2, 3});
  model.op(fb::OpCode::SQRT, {x}, {y});
  const std::vector<float> out = model.run(2)[0];
  check_close({out[0], out[1], out[2], out[3]}, {0.0f, 1.0f, 1.5f, 1e-4f});
  CHECK(std::isnan(out[4]));
  CHECK(out[5] == 0.0f);  // sqrt(-0) = -0, not NaN
}

TEST_CASE("run_single_op reports bad input vectors") {
  ConvModel conv;
  auto backend = rt::make_reference_backend();
  const std::vector<uint8_t>& bytes = conv.model.bytes();
  OpRunResult wrong_count = run_single_op(*backend, bytes, {});
  CHECK(wrong_count.status.code() == rt::StatusCode::kInvalidArgument);
  OpRunResult wrong_size = run_single_op(*backend, bytes, {std::vector<float>(3)});
  CHECK(wrong_size.status.code() == rt::StatusCode::kInvalidArgument);
  CHECK(wrong_size.outputs.empty());
}

}  // namespace
}  // namespace bespoke::test
