// Image folders with PNG/JPEG files written at test time (stb_image_write).
#include <doctest/doctest.h>

#include <stb/stb_image_write.h>

#include <filesystem>
#include <functional>

#include "data/data_error.h"
#include "data/dataset.h"
#include "data/image_folder.h"
#include "support/data_test_util.h"

using namespace bespoke;
using bespoke::test::ScratchDir;

namespace {

std::vector<uint8_t> gradient(int w, int h, int channels, int offset) {
  std::vector<uint8_t> p(static_cast<size_t>(w * h * channels));
  for (size_t i = 0; i < p.size(); ++i) p[i] = static_cast<uint8_t>((static_cast<int>(i) * 7 + offset) % 256);
  return p;
}

void write_png(const std::filesystem::path& path, int w, int h, int channels, const std::vector<uint8_t>& pixels) {
  std::filesystem::create_directories(path.parent_path());
  REQUIRE(stbi_write_png(path.string().c_str(), w, h, channels, pixels.data(), w * channels) != 0);
}

// apple/a1.png 4x4 gray, apple/a2.PNG 8x8 RGB, zebra/z1.jpg 4x4 RGB, plus a text file.
void write_folder(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "zebra");
  REQUIRE(stbi_write_jpg((root / "zebra" / "z1.jpg").string().c_str(), 4, 4, 3, gradient(4, 4, 3, 9).data(), 95) != 0);
  write_png(root / "apple" / "a1.png", 4, 4, 1, gradient(4, 4, 1, 0));
  write_png(root / "apple" / "a2.PNG", 8, 8, 3, gradient(8, 8, 3, 5));
  bespoke::test::write_file_bytes((root / "apple" / "notes.txt").string(), {'h', 'i'});
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const data::DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_SUITE("data") {
  TEST_CASE("image folder: classes sorted by name, images decoded, converted and resized") {
    ScratchDir dir("folder");
    write_folder(dir.path());
    data::ImageFolderOptions options;
    options.geometry = {3, 4, 4};
    const data::ImageSet set = data::load_image_folder(dir.path().string(), options);
    CHECK(set.class_names == std::vector<std::string>{"apple", "zebra"});
    CHECK(set.labels == std::vector<int32_t>{0, 0, 1});
    CHECK(set.pixels.size() == 3u * 48u);
    // a1.png (gray) replicated to the three channels, exactly (PNG is lossless).
    const std::vector<uint8_t> gray = gradient(4, 4, 1, 0);
    for (int c = 0; c < 3; ++c) {
      for (int k = 0; k < 16; ++k) CHECK(set.image(0)[c * 16 + k] == gray[static_cast<size_t>(k)]);
    }
    // As 1-channel 8x8, the 8x8 PNG needs no resizing: its gray value is stb's RGB -> Y.
    options.geometry = {1, 8, 8};
    const data::ImageSet gray_set = data::load_image_folder(dir.path().string(), options);
    CHECK(gray_set.pixels.size() == 3u * 64u);
  }

  TEST_CASE("image folder: a size mismatch without resizing, a corrupt file, an empty class are named") {
    ScratchDir dir("folder-bad");
    write_folder(dir.path());
    data::ImageFolderOptions options;
    options.geometry = {3, 4, 4};
    options.resize = false;
    const std::string mismatch = error_of([&] { data::load_image_folder(dir.path().string(), options); });
    CHECK(mismatch.find("a2.PNG': 8x8, expected 4x4") != std::string::npos);

    options.resize = true;
    bespoke::test::write_file_bytes((dir.path() / "apple" / "broken.png").string(),
                                    {0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7, 8});
    const std::string corrupt = error_of([&] { data::load_image_folder(dir.path().string(), options); });
    CHECK(corrupt.find((dir.path() / "apple" / "broken.png").string()) != std::string::npos);
    CHECK(corrupt.find("cannot decode") != std::string::npos);
    std::filesystem::remove(dir.path() / "apple" / "broken.png");

    std::filesystem::create_directories(dir.path() / "empty");
    const std::string empty = error_of([&] { data::load_image_folder(dir.path().string(), options); });
    CHECK(empty.find("empty' has no .png/.jpg images") != std::string::npos);
    CHECK(error_of([&] {
            data::load_image_folder((dir.path() / "absent").string(), options);
          }).find("not a directory") != std::string::npos);
  }

  TEST_CASE("dataset: an image folder with train/ and test/ gives its splits and statistics") {
    ScratchDir dir("folder-splits");
    write_folder(dir.path() / "train");
    write_folder(dir.path() / "test");
    data::DatasetRequest r;
    r.name = dir.path().string();
    r.folder_geometry = {3, 4, 4};
    r.validation_count = 1;
    const data::Dataset d = data::open_dataset(r);
    CHECK(d.train.indices.size() == 2);
    CHECK(d.validation.indices.size() == 1);
    CHECK(d.test.indices.size() == 3);
    CHECK(d.class_names == std::vector<std::string>{"apple", "zebra"});
    REQUIRE(d.normalization.mean.size() == 3);
    CHECK(d.normalization.std[0] > 0.0f);
  }

}  // TEST_SUITE
