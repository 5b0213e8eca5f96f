// Decoding one image file: the stretch and pad-right fits (PaddleOCR's
// recognizer geometry, the padding value), the BGR swap, the size guard.
#include <doctest/doctest.h>

#include <cstdlib>

#include "data/image_files.h"
#include "ocr_test_files.h"
#include "support/data_test_util.h"

using namespace bespoke;
using bespoke::test::ScratchDir;

namespace {

data::ImageLoadOptions options_of(data::ImageGeometry g, data::ResizeMode mode,
                                  data::ChannelOrder order = data::ChannelOrder::kRgb) {
  data::ImageLoadOptions o;
  o.geometry = g;
  o.resize_mode = mode;
  o.channels = order;
  return o;
}

}  // namespace

TEST_SUITE("data") {
  TEST_CASE("image files: pad_right keeps the aspect ratio, then pads with mid-gray on the right") {
    ScratchDir dir("pad-right");
    struct Case {
      int width, height;
      int64_t content;  // min(W, ceil(H * w / h)) for H = 8, W = 32
    };
    for (const Case& c : {Case{8, 4, 16}, Case{5, 3, 14}, Case{5, 4, 10}, Case{100, 4, 32}, Case{1, 40, 1}}) {
      CAPTURE(c.width);
      CAPTURE(c.height);
      const std::string path = dir.file("line.png");
      bespoke::test::write_flat_png(path, c.width, c.height, {10, 200, 60});
      std::vector<uint8_t> out = {7};  // appended after what is there
      const data::ImagePlacement p =
          data::decode_image_into(path, options_of({3, 8, 32}, data::ResizeMode::kPadRight), out);
      REQUIRE(out.size() == 1 + 3 * 8 * 32);
      CHECK(out[0] == 7);
      CHECK(p.file_width == c.width);
      CHECK(p.file_height == c.height);
      CHECK(p.content_width == c.content);
      CHECK(p.scale_x == doctest::Approx(static_cast<double>(c.content) / c.width));
      CHECK(p.scale_y == doctest::Approx(8.0 / c.height));
      const uint8_t colour[3] = {10, 200, 60};
      for (int ch = 0; ch < 3; ++ch) {
        for (int y = 0; y < 8; ++y) {
          for (int x = 0; x < 32; ++x) {
            const uint8_t v = out[1 + static_cast<size_t>((ch * 8 + y) * 32 + x)];
            if (x < c.content) {
              CHECK(std::abs(v - colour[ch]) <= 1);  // a flat image resizes to itself, up to rounding
            } else {
              CHECK(v == data::kPadRightFill);
            }
          }
        }
      }
    }
    CHECK(data::kPadRightFill == 128);
  }

  TEST_CASE("image files: stretch resizes to the geometry and reports the scale of each axis") {
    ScratchDir dir("stretch");
    bespoke::test::write_flat_png(dir.file("a.png"), 40, 20, {90});
    std::vector<uint8_t> out;
    const data::ImagePlacement p =
        data::decode_image_into(dir.file("a.png"), options_of({1, 10, 30}, data::ResizeMode::kStretch), out);
    CHECK(out.size() == 300);
    CHECK(p.content_width == 30);
    CHECK(p.place({40, 20}).x == doctest::Approx(30));
    CHECK(p.place({40, 20}).y == doctest::Approx(10));
  }

  TEST_CASE("image files: BGR swaps the first and third channels; gray is unchanged") {
    ScratchDir dir("bgr");
    // Two columns of different colours, so that the swap is told from a copy.
    bespoke::test::write_test_png(dir.file("c.png"), 2, 1, 3, {10, 20, 30, 40, 50, 60});
    std::vector<uint8_t> rgb, bgr, gray;
    data::decode_image_into(dir.file("c.png"), options_of({3, 1, 2}, data::ResizeMode::kStretch), rgb);
    data::decode_image_into(dir.file("c.png"),
                            options_of({3, 1, 2}, data::ResizeMode::kStretch, data::ChannelOrder::kBgr), bgr);
    CHECK(rgb == std::vector<uint8_t>{10, 40, 20, 50, 30, 60});  // CHW
    CHECK(bgr == std::vector<uint8_t>{30, 60, 20, 50, 10, 40});
    data::decode_image_into(dir.file("c.png"),
                            options_of({1, 1, 2}, data::ResizeMode::kStretch, data::ChannelOrder::kBgr), gray);
    std::vector<uint8_t> gray_rgb;
    data::decode_image_into(dir.file("c.png"), options_of({1, 1, 2}, data::ResizeMode::kStretch), gray_rgb);
    CHECK(gray == gray_rgb);
  }

  TEST_CASE("image files: a side over 16384 pixels is refused before decoding") {
    ScratchDir dir("huge");
    bespoke::test::write_test_png(dir.file("wide.png"), 16385, 1, 1, std::vector<uint8_t>(16385, 0));
    std::vector<uint8_t> out;
    const std::string message = bespoke::test::data_error_of([&] {
      data::decode_image_into(dir.file("wide.png"), options_of({1, 8, 8}, data::ResizeMode::kStretch), out);
    });
    CHECK(message == "image '" + dir.file("wide.png") + "': 16385x1 is larger than 16384 pixels a side");
    CHECK(out.empty());
  }

  TEST_CASE("image files: listing finds images by extension, sorted, recursively on request") {
    ScratchDir dir("listing");
    bespoke::test::write_flat_png(dir.file("b.PNG"), 1, 1, {1});
    bespoke::test::write_flat_png(dir.path() / "sub" / "a.png", 1, 1, {1});
    bespoke::test::write_text_file(dir.path() / "labels.txt", "x");
    CHECK(data::list_image_files(dir.path().string(), false) == std::vector<std::string>{dir.file("b.PNG")});
    CHECK(data::list_image_files(dir.path().string(), true) ==
          std::vector<std::string>{dir.file("b.PNG"), (dir.path() / "sub" / "a.png").string()});
  }
}  // TEST_SUITE
