// CONCAT, SPLIT, SLICE, RESHAPE, TRANSPOSE, PAD, RESIZE and CHANNEL_SHUFFLE on XNNPACK
// vs the reference backend.
#include <string>

#include "xnnpack/xnnpack_test_util.h"

namespace bespoke::test {
namespace {

using Shape = std::vector<int32_t>;

TEST_CASE("xnnpack CONCAT matches the reference on every axis") {
  struct Case {
    std::string name;
    std::vector<Shape> inputs;
    int axis;
    Shape out;
    int constant_input = -1;
  };
  const Case cases[] = {
      {"channels of NCHW", {{2, 3, 4, 5}, {2, 1, 4, 5}, {2, 4, 4, 5}}, 1, {2, 8, 4, 5}},
      {"H of NCHW", {{2, 3, 2, 5}, {2, 3, 3, 5}}, 2, {2, 3, 5, 5}},
      {"W of NCHW", {{1, 3, 4, 2}, {1, 3, 4, 6}}, 3, {1, 3, 4, 8}},
      {"batch", {{1, 3, 4, 5}, {2, 3, 4, 5}}, 0, {3, 3, 4, 5}},
      {"2-D columns, one constant input", {{3, 4}, {3, 2}}, 1, {3, 6}, 1},
      {"channels with a constant rank-4 input", {{1, 2, 3, 3}, {1, 3, 3, 3}}, 1, {1, 5, 3, 3}, 1},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      std::vector<int32_t> inputs;
      for (size_t i = 0; i < c.inputs.size(); ++i) {
        inputs.push_back(static_cast<int>(i) == c.constant_input ? t.constant(c.inputs[i]) : t.input(c.inputs[i]));
      }
      const int y = t.output(c.out);
      t.op(fb::OpCode::CONCAT, inputs, {y}, fb::OperatorOptions::ConcatOptions,
           fb::CreateConcatOptions(t.fbb(), c.axis).Union());
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack SPLIT matches the reference on every axis") {
  struct Case {
    std::string name;
    Shape input;
    int axis;
    std::vector<int32_t> sizes;
  };
  const Case cases[] = {
      {"channels of NCHW", {2, 8, 3, 4}, 1, {3, 5}},
      {"W of NCHW into three", {1, 3, 4, 9}, 3, {2, 3, 4}},
      {"H of NCHW", {2, 2, 6, 3}, 2, {1, 5}},
      {"last axis of 3-D", {2, 3, 10}, 2, {4, 6}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      const int x = t.input(c.input);
      std::vector<int32_t> outputs;
      for (int32_t size : c.sizes) {
        Shape shape = c.input;
        shape[static_cast<size_t>(c.axis)] = size;
        outputs.push_back(t.output(shape));
      }
      t.op(fb::OpCode::SPLIT, {x}, outputs, fb::OperatorOptions::SplitOptions,
           fb::CreateSplitOptionsDirect(t.fbb(), c.axis, &c.sizes).Union());
      t.check_matches_reference();
    }
  }
}

void build_slice(OpCase& t, const Shape& input, const std::vector<int32_t>& starts, const std::vector<int32_t>& ends,
                 const std::vector<int32_t>& steps) {
  Shape out;
  for (size_t d = 0; d < input.size(); ++d) out.push_back((ends[d] - starts[d] + steps[d] - 1) / steps[d]);
  const int x = t.input(input);
  const int y = t.output(out);
  t.op(fb::OpCode::SLICE, {x}, {y}, fb::OperatorOptions::SliceOptions,
       fb::CreateSliceOptionsDirect(t.fbb(), &starts, &ends, &steps).Union());
}

TEST_CASE("xnnpack SLICE matches the reference for one step-1 band") {
  SUBCASE("channel band of NCHW") {
    OpCase t;
    build_slice(t, {2, 8, 3, 4}, {0, 2, 0, 0}, {2, 6, 3, 4}, {1, 1, 1, 1});
    t.check_matches_reference();
  }
  SUBCASE("H band of NCHW") {
    OpCase t;
    build_slice(t, {2, 3, 7, 4}, {0, 0, 1, 0}, {2, 3, 5, 4}, {1, 1, 1, 1});
    t.check_matches_reference();
  }
  SUBCASE("single W column with a step (length 1)") {
    OpCase t;
    build_slice(t, {1, 3, 4, 6}, {0, 0, 0, 5}, {1, 3, 4, 6}, {1, 1, 1, 3});
    t.check_matches_reference();
  }
  SUBCASE("middle of a 2-D tensor's columns") {
    OpCase t;
    build_slice(t, {5, 9}, {0, 3}, {5, 8}, {1, 1});
    t.check_matches_reference();
  }
  SUBCASE("two sliced dims are refused") {
    OpCase t;
    build_slice(t, {2, 8, 3, 4}, {0, 2, 1, 0}, {2, 6, 3, 4}, {1, 1, 1, 1});
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("step 2 is refused") {
    OpCase t;
    build_slice(t, {5, 9}, {0, 0}, {5, 9}, {1, 2});
    CHECK_FALSE(t.xnnpack_supports());
  }
}

TEST_CASE("xnnpack RESHAPE keeps the logical order across layouts") {
  struct Case {
    std::string name;
    Shape input, output;
  };
  const Case cases[] = {
      {"flatten NCHW with H, W > 1 (NHWC -> logical transpose)", {2, 3, 4, 5}, {2, 60}},
      {"flatten [N, C, 1, 1] (plain copy)", {2, 16, 1, 1}, {2, 16}},
      {"2-D to NCHW (logical -> NHWC transpose)", {2, 60}, {2, 3, 4, 5}},
      {"NCHW to NCHW of another shape (both transposes)", {2, 6, 2, 5}, {2, 3, 4, 5}},
      {"3-D to 2-D (plain copy)", {3, 4, 5}, {12, 5}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      const int x = t.input(c.input);
      const int y = t.output(c.output);
      t.op(fb::OpCode::RESHAPE, {x}, {y}, fb::OperatorOptions::ReshapeOptions,
           fb::CreateReshapeOptions(t.fbb()).Union());
      t.check_matches_reference();
    }
  }
}

void build_transpose(OpCase& t, const Shape& input, const std::vector<int32_t>& perm) {
  Shape out;
  for (int32_t p : perm) out.push_back(input[static_cast<size_t>(p)]);
  const int x = t.input(input);
  const int y = t.output(out);
  t.op(fb::OpCode::TRANSPOSE, {x}, {y}, fb::OperatorOptions::TransposeOptions,
       fb::CreateTransposeOptionsDirect(t.fbb(), &perm).Union());
}

TEST_CASE("xnnpack TRANSPOSE matches the reference when it swaps two blocks in memory") {
  struct Case {
    std::string name;
    Shape input;
    std::vector<int32_t> perm;
  };
  const Case cases[] = {
      {"2-D", {5, 7}, {1, 0}},
      {"[B, T, D] -> [B, D, T]", {2, 5, 7}, {0, 2, 1}},
      {"[A, B, C] -> [C, A, B]", {3, 4, 5}, {2, 0, 1}},
      {"NCHW -> NHWC order", {2, 3, 4, 5}, {0, 2, 3, 1}},
      {"NCHW -> N, W, C, H", {2, 3, 4, 5}, {0, 3, 1, 2}},
      {"H <-> W with C == 1", {2, 1, 4, 5}, {0, 1, 3, 2}},
      {"only size-1 axes move (a copy)", {3, 1, 4}, {1, 0, 2}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      build_transpose(t, c.input, c.perm);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack TRANSPOSE refuses permutations that move three blocks") {
  SUBCASE("H <-> W of NCHW with C > 1") {
    OpCase t;
    build_transpose(t, {2, 3, 4, 5}, {0, 1, 3, 2});
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("outer swap with an inner block") {
    OpCase t;
    build_transpose(t, {3, 4, 5}, {1, 0, 2});
    CHECK_FALSE(t.xnnpack_supports());
  }
}

TEST_CASE("xnnpack PAD matches the reference") {
  struct Case {
    std::string name;
    Shape input;
    std::vector<int32_t> pads;
    float value;
  };
  const Case cases[] = {
      {"spatial zero padding of NCHW", {2, 3, 4, 5}, {0, 0, 1, 2, 0, 0, 2, 1}, 0.0f},
      {"every dim of NCHW padded, value 1.5", {1, 2, 3, 3}, {1, 1, 0, 2, 0, 2, 1, 0}, 1.5f},
      {"2-D", {3, 4}, {1, 0, 2, 3}, -2.0f},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      const size_t rank = c.input.size();
      Shape out = c.input;
      for (size_t d = 0; d < rank; ++d) out[d] += c.pads[d] + c.pads[d + rank];
      const int x = t.input(c.input);
      const int y = t.output(out);
      t.op(fb::OpCode::PAD, {x}, {y}, fb::OperatorOptions::PadOptions,
           fb::CreatePadOptionsDirect(t.fbb(), &c.pads, c.value).Union());
      t.check_matches_reference();
    }
  }
}

void build_resize(OpCase& t, const Shape& input, int out_h, int out_w, fb::ResizeMode mode,
                  fb::CoordinateTransform transform, float scale_h = 0.0f, float scale_w = 0.0f,
                  fb::NearestRounding rounding = fb::NearestRounding::ROUND_PREFER_FLOOR) {
  const int x = t.input(input);
  const int y = t.output({input[0], input[1], out_h, out_w});
  t.op(fb::OpCode::RESIZE, {x}, {y}, fb::OperatorOptions::ResizeOptions,
       fb::CreateResizeOptions(t.fbb(), mode, transform, rounding, scale_h, scale_w).Union());
}

TEST_CASE("xnnpack RESIZE (bilinear) matches the reference") {
  using T = fb::CoordinateTransform;
  struct Case {
    std::string name;
    T transform;
    int out_h, out_w;
    float scale_h = 0.0f, scale_w = 0.0f;
  };
  const Case cases[] = {
      {"half_pixel upsample x2 with given scales", T::HALF_PIXEL, 10, 12, 2.0f, 2.0f},
      {"half_pixel to an output of 1 and a downsample", T::HALF_PIXEL, 1, 3},
      {"pytorch_half_pixel non-integer ratio", T::PYTORCH_HALF_PIXEL, 7, 9},
      {"align_corners", T::ALIGN_CORNERS, 9, 11},
      {"align_corners to an output of 1", T::ALIGN_CORNERS, 1, 4},
      {"asymmetric", T::ASYMMETRIC, 8, 13},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      build_resize(t, {2, 3, 5, 6}, c.out_h, c.out_w, fb::ResizeMode::LINEAR, c.transform, c.scale_h, c.scale_w);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack RESIZE (nearest) matches the reference when it repeats pixels by whole factors") {
  using T = fb::CoordinateTransform;
  using R = fb::NearestRounding;
  struct Case {
    std::string name;
    T transform;
    R rounding;
    int out_h, out_w;
    float scale_h = 0.0f, scale_w = 0.0f;
  };
  const Case cases[] = {
      {"x2 asymmetric floor with given scales", T::ASYMMETRIC, R::FLOOR, 8, 10, 2.0f, 2.0f},
      {"x2 asymmetric round_prefer_floor (ONNX default)", T::ASYMMETRIC, R::ROUND_PREFER_FLOOR, 8, 10},
      {"x3 by x2 half_pixel round_prefer_ceil", T::HALF_PIXEL, R::ROUND_PREFER_CEIL, 12, 10},
      {"x1 by x4 pytorch_half_pixel (height kept)", T::PYTORCH_HALF_PIXEL, R::ROUND_PREFER_FLOOR, 4, 20},
      {"x3 by x1 asymmetric floor (width kept)", T::ASYMMETRIC, R::FLOOR, 12, 5},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      OpCase t;
      build_resize(t, {2, 3, 4, 5}, c.out_h, c.out_w, fb::ResizeMode::NEAREST, c.transform, c.scale_h, c.scale_w,
                   c.rounding);
      t.check_matches_reference();
    }
  }
}

TEST_CASE("xnnpack RESIZE refuses what XNNPACK cannot reproduce") {
  using T = fb::CoordinateTransform;
  using R = fb::NearestRounding;
  SUBCASE("nearest x3 asymmetric round_prefer_floor (not a repetition)") {
    OpCase t;
    build_resize(t, {1, 2, 4, 4}, 12, 12, fb::ResizeMode::NEAREST, T::ASYMMETRIC, 0.0f, 0.0f, R::ROUND_PREFER_FLOOR);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("nearest x2 half_pixel floor (shifted by one)") {
    OpCase t;
    build_resize(t, {1, 2, 4, 4}, 8, 8, fb::ResizeMode::NEAREST, T::HALF_PIXEL, 0.0f, 0.0f, R::FLOOR);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("nearest to a non-whole factor") {
    OpCase t;
    build_resize(t, {1, 2, 4, 4}, 6, 8, fb::ResizeMode::NEAREST, T::ASYMMETRIC, 0.0f, 0.0f, R::FLOOR);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("nearest with a producer scale other than the factor") {
    OpCase t;
    build_resize(t, {1, 2, 4, 4}, 8, 8, fb::ResizeMode::NEAREST, T::ASYMMETRIC, 2.2f, 2.2f, R::FLOOR);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("linear with a producer scale different from output / input") {
    OpCase t;
    build_resize(t, {1, 2, 5, 5}, 7, 7, fb::ResizeMode::LINEAR, T::HALF_PIXEL, 1.5f, 1.5f);
    CHECK_FALSE(t.xnnpack_supports());
  }
  SUBCASE("linear pytorch_half_pixel to an output of 1") {
    OpCase t;
    build_resize(t, {1, 2, 5, 5}, 1, 3, fb::ResizeMode::LINEAR, T::PYTORCH_HALF_PIXEL);
    CHECK_FALSE(t.xnnpack_supports());
  }
}

TEST_CASE("xnnpack CHANNEL_SHUFFLE matches the reference") {
  for (int groups : {2, 3, 1, 12}) {
    OpCase t;
    const int x = t.input({2, 12, 3, 4});
    const int y = t.output({2, 12, 3, 4});
    t.op(fb::OpCode::CHANNEL_SHUFFLE, {x}, {y}, fb::OperatorOptions::ChannelShuffleOptions,
         fb::CreateChannelShuffleOptions(t.fbb(), groups).Union());
    t.check_matches_reference();
  }
}

}  // namespace
}  // namespace bespoke::test
