// Datasets of text tasks through open_dataset: PaddleOCR recognition and
// detection folders (transcripts, origins, the pad-right fit, polygons scaled
// like their image), unlabelled folders, and bad data named by label file
// and line before anything else happens.
#include <doctest/doctest.h>

#include <filesystem>

#include "data/data_error.h"
#include "data/dataset.h"
#include "ocr_test_files.h"
#include "support/data_test_util.h"

using namespace bespoke;
using bespoke::test::data_error_of;
using bespoke::test::ScratchDir;
using bespoke::test::write_flat_png;
using bespoke::test::write_text_file;
namespace fs = std::filesystem;

namespace {

data::DatasetRequest text_request(const fs::path& root) {
  data::DatasetRequest r;
  r.name = root.string();
  r.labels = data::LabelKind::kText;
  r.resize = data::ResizeMode::kPadRight;
  r.folder_geometry = {3, 8, 32};
  return r;
}

data::DatasetRequest boxes_request(const fs::path& root) {
  data::DatasetRequest r;
  r.name = root.string();
  r.labels = data::LabelKind::kBoxes;
  r.channels = data::ChannelOrder::kBgr;
  r.folder_geometry = {3, 10, 20};
  return r;
}

// train/ with three labelled lines (one in a sub-folder, one UTF-8) and val/
// with one; the images are 16x4 (fitted to 32 columns) and 4x4 (16 columns).
void write_recognition(const fs::path& root) {
  write_flat_png(root / "train" / "words" / "a.png", 16, 4, {50, 50, 50});
  write_flat_png(root / "train" / "b.png", 4, 4, {200, 200, 200});
  write_flat_png(root / "train" / "c.png", 4, 4, {90, 90, 90});
  write_text_file(root / "train" / "labels.txt",
                  "words/a.png\tBespoke\r\n\nb.png\t\xE6\x96\x87\xE5\xAD\x97\r\nc.png\tcaf\xC3\xA9\r\n");
  write_flat_png(root / "val" / "d.png", 8, 4, {10, 10, 10});
  write_text_file(root / "val" / "labels.txt", "d.png\tok\n");
}

}  // namespace

TEST_SUITE("data") {
  TEST_CASE("text dataset: recognition label files give transcripts, origins and pad-right images") {
    ScratchDir dir("rec");
    write_recognition(dir.path());
    const data::Dataset d = data::open_dataset(text_request(dir.path()));
    const data::ImageSet& train = *d.train.set;
    REQUIRE(train.size() == 3);
    CHECK(d.labels == data::LabelKind::kText);
    CHECK(d.class_names.empty());
    CHECK_FALSE(train.has_classes());
    CHECK(train.has_transcripts());
    CHECK_FALSE(train.has_regions());
    CHECK(train.labels == std::vector<int32_t>{-1, -1, -1});
    CHECK(train.transcripts ==
          std::vector<std::string>{"Bespoke", "\xE6\x96\x87\xE5\xAD\x97", "caf\xC3\xA9"});  // UTF-8, CR dropped
    const std::string labels = (dir.path() / "train" / "labels.txt").string();
    CHECK(train.origins == std::vector<std::string>{labels + ":1", labels + ":3", labels + ":4"});
    CHECK(train.origin(2) == labels + ":4");
    // b.png: 4x4 -> 8x8, then gray padding from column 8 on.
    CHECK(train.channels == 3);
    CHECK(train.height == 8);
    CHECK(train.width == 32);
    const uint8_t* b = train.image(1);
    CHECK(b[0] == 200);
    CHECK(b[7] == 200);
    CHECK(b[8] == data::kPadRightFill);
    CHECK(b[2 * 8 * 32 + 31] == data::kPadRightFill);
    CHECK(train.image(0)[31] == 50);  // a.png fills the width
    CHECK(d.validation.set->transcripts == std::vector<std::string>{"ok"});
    CHECK(d.validation.indices.size() == 1);
    CHECK(d.describe() == dir.path().string() + ": train 3, val 1 (4 lines with transcripts)");
    // Normalization over the training images, padding included.
    REQUIRE(d.normalization.mean.size() == 3);
    CHECK(d.normalization.mean[0] > 0.3f);
  }

  TEST_CASE("text dataset: a root without split folders is split; a custom label file name") {
    ScratchDir dir("rec-root");
    for (int i = 0; i < 4; ++i) write_flat_png(dir.path() / ("w" + std::to_string(i) + ".png"), 8, 4, {1, 2, 3});
    write_text_file(dir.path() / "rec_gt.txt", "w0.png\ta\nw1.png\tb\nw2.png\tc\nw3.png\td\n");
    data::DatasetRequest r = text_request(dir.path());
    r.labels_file = "rec_gt.txt";
    r.validation_count = 1;
    const data::Dataset d = data::open_dataset(r);
    CHECK(d.train.indices.size() == 3);
    CHECK(d.validation.indices.size() == 1);
    CHECK(d.train.set->transcripts.size() == 4);
  }

  TEST_CASE("text dataset: detection label files give polygons scaled like the image, '###' ignored, BGR") {
    ScratchDir dir("det");
    const fs::path train = dir.path() / "train";
    write_flat_png(train / "imgs" / "a.png", 40, 20, {10, 20, 30});
    write_flat_png(train / "b.png", 20, 10, {0, 0, 0});
    write_text_file(train / "labels.txt",
                    "imgs/a.png\t[{\"transcription\": \"EXIT\", \"points\": [[4, 2], [20, 2], [20, 10], [4, 10]]}, "
                    "{\"transcription\": \"###\", \"points\": [[30, 0], [40.5, 0], [40.5, 20.9], [30, 20.9]]}]\n"
                    "b.png\t[]\n");
    const data::Dataset d = data::open_dataset(boxes_request(dir.path()));
    const data::ImageSet& set = *d.train.set;
    REQUIRE(set.size() == 2);
    CHECK(set.has_regions());
    CHECK_FALSE(set.has_transcripts());
    REQUIRE(set.regions[0].size() == 2);
    CHECK(set.ignored[0] == std::vector<bool>{false, true});
    CHECK(set.regions[1].empty());
    CHECK(set.ignored[1].empty());
    const data::Polygon& exit = set.regions[0][0];
    REQUIRE(exit.size() == 4);
    CHECK(exit[0].x == doctest::Approx(2));  // x * 20 / 40
    CHECK(exit[0].y == doctest::Approx(1));  // y * 10 / 20
    CHECK(exit[2].x == doctest::Approx(10));
    CHECK(exit[2].y == doctest::Approx(5));
    // Within the 1-pixel tolerance, then clamped to the set's image.
    CHECK(set.regions[0][1][1].x == doctest::Approx(20));
    CHECK(set.regions[0][1][2].y == doctest::Approx(10));
    // BGR: channel 0 holds the blue value.
    CHECK(set.image(0)[0] == 30);
    CHECK(set.image(0)[2 * 10 * 20] == 10);
    CHECK(set.origins[1] == (train / "labels.txt").string() + ":2");
    CHECK(d.describe().find("(2 images with boxes: 2 regions, 1 ignored)") != std::string::npos);
  }

  TEST_CASE("text dataset: folders without a label file, and class-less image folders, are unlabelled") {
    ScratchDir dir("unlabelled");
    write_flat_png(dir.path() / "train" / "x" / "1.png", 8, 4, {5, 5, 5});
    write_flat_png(dir.path() / "train" / "2.png", 8, 4, {5, 5, 5});
    write_recognition(dir.path() / "other");  // its val/ is used as this dataset's test/
    fs::rename(dir.path() / "other" / "val", dir.path() / "test");
    data::DatasetRequest r = text_request(dir.path());
    r.validation_count = 1;
    const data::Dataset d = data::open_dataset(r);
    const data::ImageSet& train = *d.train.set;
    REQUIRE(train.size() == 2);
    CHECK_FALSE(train.has_transcripts());
    CHECK(train.labels == std::vector<int32_t>{-1, -1});
    CHECK(train.origins ==
          std::vector<std::string>{(dir.path() / "train" / "2.png").string(),
                                   (dir.path() / "train" / "x" / "1.png").string()});  // sorted, recursive
    CHECK(d.describe() == dir.path().string() + ": train 1, val 1, test 1 (train, val: unlabelled; test: 1 line " +
                              "with transcripts)");

    // kClasses: images directly in the split folder, no class folders.
    ScratchDir flat("classless");
    for (int i = 0; i < 3; ++i) write_flat_png(flat.path() / ("p" + std::to_string(i) + ".png"), 4, 4, {7, 7, 7});
    data::DatasetRequest c;
    c.name = flat.path().string();
    c.folder_geometry = {3, 4, 4};
    c.validation_count = 1;
    const data::Dataset classless = data::open_dataset(c);
    CHECK(classless.class_names.empty());
    CHECK(classless.train.set->labels == std::vector<int32_t>{-1, -1, -1});
    CHECK(classless.train.set->origins.size() == 3);
    CHECK(classless.describe() == flat.path().string() + ": train 2, val 1 (unlabelled)");

    ScratchDir split_flat("classless-train");
    for (int i = 0; i < 2; ++i) {
      write_flat_png(split_flat.path() / "train" / ("p" + std::to_string(i) + ".png"), 4, 4, {7, 7, 7});
    }
    c.name = split_flat.path().string();
    CHECK(data::open_dataset(c).train.set->class_names.empty());
  }

  TEST_CASE("text dataset: bad data is named by label file and line") {
    struct Case {
      data::LabelKind kind;
      std::string labels;
      std::string expected;  // after "labels.txt:"
    };
    const std::string ok = "ok.png\tfine\n";
    const std::string box = "ok.png\t[{\"transcription\": \"a\", \"points\": [[0, 0], [8, 0], [8, 4], [0, 4]]}]\n";
    const std::vector<Case> cases = {
        {data::LabelKind::kText, ok + "missing.png\ttext\n", "2: image '"},
        {data::LabelKind::kText, ok + "broken.png\ttext\n", "2: image '"},
        {data::LabelKind::kText, ok + "folder.png\ttext\n", "2: image '"},
        {data::LabelKind::kText, ok + "wide.png\ttext\n", "2: image '"},
        {data::LabelKind::kText, ok + "no tab\n", "2: no tab"},
        {data::LabelKind::kText, ok + "../ok.png\ttext\n", "2: image path '../ok.png' leaves"},
        {data::LabelKind::kText, ok + "/tmp/ok.png\ttext\n", "2: image path '/tmp/ok.png' is absolute"},
        {data::LabelKind::kText, ok + ok, "2: image 'ok.png' is listed again (first on line 1)"},
        {data::LabelKind::kText, "", "1: the label file is empty"},
        {data::LabelKind::kText, box, "1: this is a detection label file"},
        {data::LabelKind::kBoxes, ok, "1: this is a recognition label file"},
        {data::LabelKind::kBoxes, box + "ok2.png\t[{\"points\": [[0, 0], [1, 0]]}]\n", "2: region 1 has 2 points"},
        {data::LabelKind::kBoxes, "ok.png\t[{\"points\": [[0, 0], [9.5, 0], [8, 4]]}]\n",
         "1: region 1 point 2 (9.500000, 0.000000) is outside the 8x4 image '"},
        {data::LabelKind::kBoxes, "ok.png\t[{\"points\": [[0, -1.5], [8, 0], [8, 4]]}]\n",
         "1: region 1 point 1 (0.000000, -1.500000) is outside"},
        {data::LabelKind::kBoxes, box + "ok2.png\t[{]\n", "2: the regions are not valid JSON"},
        {data::LabelKind::kBoxes, box + "ok2.png\t[{\"text\": \"a\"}]\n", "2: region 1 has no \"points\""},
    };
    for (const Case& c : cases) {
      CAPTURE(c.labels);
      ScratchDir dir("bad-labels");
      const fs::path train = dir.path() / "train";
      write_flat_png(train / "ok.png", 8, 4, {1, 2, 3});
      write_flat_png(train / "ok2.png", 8, 4, {1, 2, 3});
      bespoke::test::write_file_bytes((train / "broken.png").string(), {0x89, 'P', 'N', 'G', 1, 2, 3});
      fs::create_directories(train / "folder.png");
      bespoke::test::write_test_png(train / "wide.png", 16385, 1, 1, std::vector<uint8_t>(16385, 0));
      write_text_file(train / "labels.txt", c.labels);
      data::DatasetRequest r = c.kind == data::LabelKind::kText ? text_request(dir.path()) : boxes_request(dir.path());
      const std::string message = data_error_of([&] { data::open_dataset(r); });
      const std::string prefix = (train / "labels.txt").string() + ":" + c.expected;
      CHECK(message.rfind(prefix, 0) == 0);
      if (message.rfind(prefix, 0) != 0) MESSAGE(message);
    }
  }

  TEST_CASE("text dataset: image errors name the image and say what is wrong") {
    ScratchDir dir("bad-images");
    const fs::path train = dir.path() / "train";
    write_flat_png(dir.path() / "train" / "ok.png", 8, 4, {1, 2, 3});
    write_flat_png(dir.path() / "root-relative.png", 8, 4, {1, 2, 3});
    bespoke::test::write_file_bytes((train / "broken.png").string(), {0x89, 'P', 'N', 'G', 1, 2, 3});
    fs::create_directories(train / "folder.png");
    bespoke::test::write_test_png(train / "wide.png", 16385, 1, 1, std::vector<uint8_t>(16385, 0));
    const std::string labels = (train / "labels.txt").string();
    const auto error_with = [&](const std::string& line) {
      write_text_file(train / "labels.txt", "ok.png\tfine\n" + line + "\n");
      return data_error_of([&] { data::open_dataset(text_request(dir.path())); });
    };
    CHECK(error_with("missing.png\tx") ==
          labels + ":2: image '" + (train / "missing.png").string() + "' does not exist");
    CHECK(error_with("root-relative.png\tx").find("does not exist (it exists relative to '" + dir.path().string()) !=
          std::string::npos);
    CHECK(error_with("broken.png\tx")
              .rfind(labels + ":2: image '" + (train / "broken.png").string() + "': cannot decode", 0) == 0);
    CHECK(error_with("folder.png\tx") == labels + ":2: image '" + (train / "folder.png").string() + "' is not a file");
    CHECK(error_with("wide.png\tx") ==
          labels + ":2: image '" + (train / "wide.png").string() + "': 16385x1 is larger than 16384 pixels a side");
  }

  TEST_CASE("text dataset: empty folders, a forgotten train/, and Fashion-MNIST are refused") {
    ScratchDir dir("empty");
    fs::create_directories(dir.path() / "train" / "sub");
    write_text_file(dir.path() / "train" / "notes.txt", "no images here");
    CHECK(data_error_of([&] { data::open_dataset(text_request(dir.path())); }) ==
          "image folder '" + (dir.path() / "train").string() + "': no .png/.jpg images (searched sub-folders too)");
    ScratchDir no_train("no-train");
    write_flat_png(no_train.path() / "val" / "a.png", 8, 4, {1, 1, 1});
    CHECK(data_error_of([&] {
            data::open_dataset(text_request(no_train.path()));
          }).find("has val/ or test/ but no train/ folder") != std::string::npos);
    ScratchDir classless("classless-empty");
    CHECK(data_error_of([&] {
            data::DatasetRequest r;
            r.name = classless.path().string();
            data::open_dataset(r);
          }).find("no class folders (expected root/<class>/<image>) and no images") != std::string::npos);
    data::DatasetRequest fashion;
    fashion.name = "fashion-mnist";
    fashion.labels = data::LabelKind::kBoxes;
    CHECK(data_error_of([&] { data::open_dataset(fashion); }).find("has class labels, not boxes") != std::string::npos);
  }
}  // TEST_SUITE
