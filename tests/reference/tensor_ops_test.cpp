// Reference backend vs LibTorch (float64) for the tensor-manipulation
// operators: CONCAT, RESHAPE, TRANSPOSE, PAD, RESIZE (the modes LibTorch
// has), CHANNEL_SHUFFLE, REDUCE_MEAN, SLICE, SPLIT. Tolerance: kRtol / kAtol
// (most of these only move data, so they match exactly).
#include "reference/reference_test_util.h"
#include "reference/torch_util.h"

namespace bespoke::test {
namespace {

const TorchSingleThread kTorchThreads;

TEST_CASE("CONCAT matches LibTorch on every axis") {
  const std::vector<int32_t> base{2, 3, 4, 5};
  uint32_t seed = 4000;
  for (int axis = 0; axis < 4; ++axis) {
    INFO("axis " << axis);
    SingleOpModel model;
    std::vector<at::Tensor> parts;
    std::vector<int32_t> indices;
    for (int part = 0; part < 3; ++part) {
      std::vector<int32_t> shape = base;
      shape[static_cast<size_t>(axis)] = part + 1;
      const auto values = random_values(element_count(shape), seed++);
      parts.push_back(to_tensor(values, shape));
      // The middle part is a constant: the kernel reads constants like activations.
      indices.push_back(part == 1 ? model.constant(shape, values) : model.input(shape, values));
    }
    at::Tensor expected = at::cat(parts, axis);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::CONCAT, indices, {yi}, fb::OperatorOptions::ConcatOptions,
             fb::CreateConcatOptions(model.fbb(), axis).Union());
    check_close(model.run()[0], to_vector(expected));
  }
}

TEST_CASE("RESHAPE keeps the element order") {
  const auto x = random_values(60, 4100);
  at::Tensor expected = to_tensor(x, {3, 4, 5}).reshape({2, 30});
  SingleOpModel model;
  const int xi = model.input({3, 4, 5}, x);
  const int yi = model.output({2, 30});
  model.op(fb::OpCode::RESHAPE, {xi}, {yi}, fb::OperatorOptions::ReshapeOptions,
           fb::CreateReshapeOptions(model.fbb()).Union());
  check_close(model.run()[0], to_vector(expected));
}

TEST_CASE("TRANSPOSE matches LibTorch up to rank 6") {
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> cases = {
      {{3, 4}, {1, 0}},
      {{2, 3, 4}, {2, 0, 1}},
      {{2, 3, 4, 5}, {0, 2, 3, 1}},  // NCHW -> NHWC
      {{2, 3, 4, 5}, {0, 3, 1, 2}},  // NHWC -> NCHW
      {{1, 3, 1, 5}, {3, 2, 1, 0}},
      {{2, 3, 1, 4, 2}, {4, 1, 3, 0, 2}},
      {{2, 3, 2, 2, 3, 2}, {5, 3, 1, 0, 4, 2}},
      {{2, 3, 4, 5}, {0, 1, 2, 3}},  // identity
  };
  uint32_t seed = 4200;
  for (const auto& [shape, perm] : cases) {
    INFO("shape " << shape_text(shape) << " perm " << shape_text(perm));
    const auto x = random_values(element_count(shape), seed++);
    at::Tensor expected = to_tensor(x, shape).permute(sizes_of(perm)).contiguous();
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::TRANSPOSE, {xi}, {yi}, fb::OperatorOptions::TransposeOptions,
             fb::CreateTransposeOptionsDirect(model.fbb(), &perm).Union());
    check_close(model.run(2)[0], to_vector(expected));
  }
}

TEST_CASE("PAD matches LibTorch constant_pad_nd") {
  // pads in our order: begins of every dim, then ends.
  const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> cases = {
      {{1, 2, 3, 4}, {0, 0, 1, 2, 0, 0, 2, 1}},
      {{2, 3, 4}, {1, 0, 2, 0, 3, 1}},
      {{5}, {2, 3}},
      {{2, 2, 3, 3}, {0, 1, 0, 0, 1, 0, 0, 0}},
  };
  uint32_t seed = 4300;
  for (const auto& [shape, pads] : cases) {
    INFO("shape " << shape_text(shape) << " pads " << shape_text(pads));
    const auto x = random_values(element_count(shape), seed++);
    std::vector<int64_t> torch_pads;  // LibTorch: (begin, end) pairs from the last dim backwards
    const size_t rank = shape.size();
    for (size_t d = rank; d-- > 0;) {
      torch_pads.push_back(pads[d]);
      torch_pads.push_back(pads[d + rank]);
    }
    at::Tensor expected = at::constant_pad_nd(to_tensor(x, shape), torch_pads, 1.5);
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::PAD, {xi}, {yi}, fb::OperatorOptions::PadOptions,
             fb::CreatePadOptionsDirect(model.fbb(), &pads, 1.5f).Union());
    check_close(model.run()[0], to_vector(expected));
  }
}

struct ResizeCase {
  std::vector<int32_t> in;
  int out_h, out_w;
  float scale_h = 0.0f, scale_w = 0.0f;  // 0: derived from the shapes

  std::vector<int64_t> out_size() const { return {out_h, out_w}; }
};

std::vector<float> run_resize(const ResizeCase& c, const std::vector<float>& x, fb::ResizeMode mode,
                              fb::CoordinateTransform transform, fb::NearestRounding rounding) {
  SingleOpModel model;
  const int xi = model.input(c.in, x);
  const int yi = model.output({c.in[0], c.in[1], c.out_h, c.out_w});
  model.op(fb::OpCode::RESIZE, {xi}, {yi}, fb::OperatorOptions::ResizeOptions,
           fb::CreateResizeOptions(model.fbb(), mode, transform, rounding, c.scale_h, c.scale_w).Union());
  return model.run(2)[0];
}

c10::optional<double> torch_scale(float scale) { return scale > 0.0f ? c10::optional<double>(scale) : c10::nullopt; }

const std::vector<ResizeCase> kResizeCases = {
    {{1, 2, 4, 4}, 8, 8},               // x2 up
    {{2, 3, 5, 7}, 9, 4},               // up in H, down in W, odd sizes
    {{1, 1, 8, 6}, 4, 3},               // x0.5 down
    {{1, 2, 3, 5}, 6, 10, 2.0f, 2.0f},  // explicit scales
    {{1, 2, 5, 5}, 7, 7, 1.5f, 1.5f},   // explicit scale != output / input
    {{1, 3, 6, 6}, 1, 1},               // to a single pixel
};

TEST_CASE("RESIZE nearest (asymmetric, floor) matches LibTorch upsample_nearest2d") {
  uint32_t seed = 4400;
  for (const ResizeCase& c : kResizeCases) {
    INFO("in " << shape_text(c.in) << " out " << c.out_h << "x" << c.out_w << " scales " << c.scale_h << ","
               << c.scale_w);
    const auto x = random_values(element_count(c.in), seed++);
    const std::vector<int64_t> size = c.out_size();
    at::Tensor expected = at::upsample_nearest2d(to_tensor(x, c.in), at::IntArrayRef(size), torch_scale(c.scale_h),
                                                 torch_scale(c.scale_w));
    check_close(
        run_resize(c, x, fb::ResizeMode::NEAREST, fb::CoordinateTransform::ASYMMETRIC, fb::NearestRounding::FLOOR),
        to_vector(expected));
  }
}

TEST_CASE("RESIZE nearest (half_pixel, round_prefer_ceil) matches LibTorch nearest-exact") {
  uint32_t seed = 4500;
  for (const ResizeCase& c : kResizeCases) {
    INFO("in " << shape_text(c.in) << " out " << c.out_h << "x" << c.out_w);
    const auto x = random_values(element_count(c.in), seed++);
    const std::vector<int64_t> size = c.out_size();
    at::Tensor expected = at::_upsample_nearest_exact2d(to_tensor(x, c.in), at::IntArrayRef(size),
                                                        torch_scale(c.scale_h), torch_scale(c.scale_w));
    check_close(run_resize(c, x, fb::ResizeMode::NEAREST, fb::CoordinateTransform::HALF_PIXEL,
                           fb::NearestRounding::ROUND_PREFER_CEIL),
                to_vector(expected));
  }
}

TEST_CASE("RESIZE linear matches LibTorch upsample_bilinear2d") {
  uint32_t seed = 4600;
  for (const ResizeCase& c : kResizeCases) {
    INFO("in " << shape_text(c.in) << " out " << c.out_h << "x" << c.out_w << " scales " << c.scale_h << ","
               << c.scale_w);
    const auto x = random_values(element_count(c.in), seed++);
    const std::vector<int64_t> size = c.out_size();
    at::Tensor aligned =
        at::upsample_bilinear2d(to_tensor(x, c.in), at::IntArrayRef(size), true, c10::nullopt, c10::nullopt);
    // LibTorch's align_corners ignores scale factors and divides by (out - 1);
    // ONNX divides by (in * scale - 1), so compare with the scales left to the shapes.
    ResizeCase by_shape = c;
    by_shape.scale_h = 0.0f;
    by_shape.scale_w = 0.0f;
    check_close(run_resize(by_shape, x, fb::ResizeMode::LINEAR, fb::CoordinateTransform::ALIGN_CORNERS,
                           fb::NearestRounding::ROUND_PREFER_FLOOR),
                to_vector(aligned));
    at::Tensor half_pixel = at::upsample_bilinear2d(to_tensor(x, c.in), at::IntArrayRef(size), false,
                                                    torch_scale(c.scale_h), torch_scale(c.scale_w));
    // LibTorch's align_corners=false is ONNX pytorch_half_pixel; it differs from
    // half_pixel only for a 1-pixel output (covered by the hand-computed tests).
    if (c.out_h > 1 && c.out_w > 1) {
      check_close(run_resize(c, x, fb::ResizeMode::LINEAR, fb::CoordinateTransform::PYTORCH_HALF_PIXEL,
                             fb::NearestRounding::ROUND_PREFER_FLOOR),
                  to_vector(half_pixel));
      check_close(run_resize(c, x, fb::ResizeMode::LINEAR, fb::CoordinateTransform::HALF_PIXEL,
                             fb::NearestRounding::ROUND_PREFER_FLOOR),
                  to_vector(half_pixel));
    }
  }
}

TEST_CASE("CHANNEL_SHUFFLE matches LibTorch") {
  for (const auto& [shape, groups] : std::vector<std::pair<std::vector<int32_t>, int>>{
           {{1, 6, 3, 3}, 2}, {{2, 12, 4, 5}, 3}, {{1, 8, 2, 2}, 8}, {{1, 4, 3, 3}, 1}}) {
    INFO("shape " << shape_text(shape) << " groups " << groups);
    const auto x = random_values(element_count(shape), 4700);
    at::Tensor expected = at::channel_shuffle(to_tensor(x, shape), groups);
    SingleOpModel model;
    const int xi = model.input(shape, x);
    const int yi = model.output(shape);
    model.op(fb::OpCode::CHANNEL_SHUFFLE, {xi}, {yi}, fb::OperatorOptions::ChannelShuffleOptions,
             fb::CreateChannelShuffleOptions(model.fbb(), groups).Union());
    check_close(model.run(2)[0], to_vector(expected));
  }
}

TEST_CASE("REDUCE_MEAN matches LibTorch") {
  struct Case {
    std::vector<int32_t> shape, axes;
    bool keep_dims;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4, 5}, {2, 3}, true},  // global average pool
      {{2, 3, 4, 5}, {1}, false},   {{2, 3, 4, 5}, {0, 2}, true},           {{2, 3, 4, 5}, {0, 1, 2, 3}, false},
      {{3, 1, 7}, {2}, true},       {{2, 3, 2, 2, 3, 2}, {1, 3, 5}, false},
  };
  uint32_t seed = 4800;
  for (const Case& c : cases) {
    INFO("shape " << shape_text(c.shape) << " axes " << shape_text(c.axes) << " keep " << c.keep_dims);
    const auto x = random_values(element_count(c.shape), seed++);
    at::Tensor expected = to_tensor(x, c.shape).mean(sizes_of(c.axes), c.keep_dims);
    SingleOpModel model;
    const int xi = model.input(c.shape, x);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::REDUCE_MEAN, {xi}, {yi}, fb::OperatorOptions::ReduceOptions,
             fb::CreateReduceOptionsDirect(model.fbb(), &c.axes, c.keep_dims).Union());
    check_close(model.run()[0], to_vector(expected));
  }
}

TEST_CASE("SLICE matches LibTorch") {
  struct Case {
    std::vector<int32_t> shape, starts, ends, steps;
  };
  const std::vector<Case> cases = {
      {{2, 3, 8, 8}, {0, 0, 1, 0}, {2, 3, 7, 8}, {1, 1, 1, 2}},
      {{4, 6}, {1, 0}, {4, 6}, {2, 3}},
      {{10}, {3}, {10}, {4}},
      {{2, 5, 4, 3}, {1, 1, 0, 2}, {2, 5, 4, 3}, {1, 2, 3, 1}},
  };
  uint32_t seed = 4900;
  for (const Case& c : cases) {
    INFO("shape " << shape_text(c.shape) << " starts " << shape_text(c.starts) << " ends " << shape_text(c.ends)
                  << " steps " << shape_text(c.steps));
    const auto x = random_values(element_count(c.shape), seed++);
    at::Tensor expected = to_tensor(x, c.shape);
    for (size_t d = 0; d < c.shape.size(); ++d)
      expected = expected.slice(static_cast<int64_t>(d), c.starts[d], c.ends[d], c.steps[d]);
    SingleOpModel model;
    const int xi = model.input(c.shape, x);
    const int yi = model.output(shape_of(expected));
    model.op(fb::OpCode::SLICE, {xi}, {yi}, fb::OperatorOptions::SliceOptions,
             fb::CreateSliceOptionsDirect(model.fbb(), &c.starts, &c.ends, &c.steps).Union());
    check_close(model.run(2)[0], to_vector(expected));
  }
}

TEST_CASE("SPLIT matches LibTorch split_with_sizes") {
  struct Case {
    std::vector<int32_t> shape;
    int axis;
    std::vector<int32_t> sizes;
  };
  const std::vector<Case> cases = {
      {{2, 6, 3, 3}, 1, {2, 4}},
      {{5, 4}, 0, {1, 1, 3}},
      {{2, 3, 7}, 2, {3, 3, 1}},
      {{3, 4, 2, 2}, 3, {1, 1}},
  };
  uint32_t seed = 5000;
  for (const Case& c : cases) {
    INFO("shape " << shape_text(c.shape) << " axis " << c.axis << " sizes " << shape_text(c.sizes));
    const auto x = random_values(element_count(c.shape), seed++);
    const std::vector<at::Tensor> expected = at::split_with_sizes(to_tensor(x, c.shape), sizes_of(c.sizes), c.axis);
    SingleOpModel model;
    const int xi = model.input(c.shape, x);
    std::vector<int32_t> outputs;
    for (const at::Tensor& part : expected) outputs.push_back(model.output(shape_of(part)));
    model.op(fb::OpCode::SPLIT, {xi}, outputs, fb::OperatorOptions::SplitOptions,
             fb::CreateSplitOptionsDirect(model.fbb(), c.axis, &c.sizes).Union());
    const auto actual = model.run();
    REQUIRE(actual.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) check_close(actual[i], to_vector(expected[i]));
  }
}

}  // namespace
}  // namespace bespoke::test
