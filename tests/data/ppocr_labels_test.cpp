// PaddleOCR label files parsed from text (no images): recognition and
// detection lines, the tolerated quirks (CR, BOM, empty lines), and every
// malformed line named by file and line.
#include <doctest/doctest.h>

#include <sstream>

#include "data/data_error.h"
#include "data/ppocr_labels.h"
#include "ocr_test_files.h"

using namespace bespoke;
using bespoke::test::data_error_of;

namespace {

data::LabelFile parse(const std::string& text, data::LabelKind kind) {
  std::istringstream in(text);
  return data::parse_label_file(in, "set/labels.txt", kind);
}

std::string error_parsing(const std::string& text, data::LabelKind kind) {
  return data_error_of([&] { parse(text, kind); });
}

constexpr data::LabelKind kText = data::LabelKind::kText;
constexpr data::LabelKind kBoxes = data::LabelKind::kBoxes;

}  // namespace

TEST_SUITE("data") {
  TEST_CASE("ppocr labels: recognition lines keep UTF-8 text; CR, BOM and empty lines are tolerated") {
    const data::LabelFile f = parse(
        "\xEF\xBB\xBFwords/a.png\tBespoke 2026\r\n\nwords/b.png\t\xE6\x96\x87\xE5\xAD\x97 caf\xC3\xA9\n"
        "c.png\t[not json]\nd.png\ta\tb\ne.png\t",
        kText);
    REQUIRE(f.lines.size() == 5);
    CHECK(f.lines[0].line == 1);
    CHECK(f.lines[0].image == "words/a.png");
    CHECK(f.lines[0].transcript == "Bespoke 2026");
    CHECK(f.lines[1].line == 3);
    CHECK(f.lines[1].transcript == "\xE6\x96\x87\xE5\xAD\x97 caf\xC3\xA9");
    CHECK(f.lines[2].transcript == "[not json]");  // a transcription may start with '['
    CHECK(f.lines[3].transcript == "a\tb");        // kept whole, for the charset check to name
    CHECK(f.lines[4].line == 6);                   // last line without '\n'
    CHECK(f.lines[4].transcript.empty());
    CHECK(f.where(3) == "set/labels.txt:3: ");
  }

  TEST_CASE("ppocr labels: detection regions, with '###' and '*' marked ignored") {
    const data::LabelFile f = parse(
        "img_1.jpg\t[{\"transcription\": \"EXIT\", \"points\": [[1, 2], [30.5, 2], [30.5, 12], [1, 12]]}, "
        "{\"transcription\": \"###\", \"points\": [[5, 5], [9, 5], [9, 9]]}, {\"transcription\": \"*\", "
        "\"points\": [[0, 0], [1, 0], [1, 1], [0, 1]]}, {\"points\": [[2, 2], [3, 2], [3, 3]]}]\n"
        "img_2.jpg\t[]\n",
        kBoxes);
    REQUIRE(f.lines.size() == 2);
    const std::vector<data::TextRegion>& r = f.lines[0].regions;
    REQUIRE(r.size() == 4);
    CHECK(r[0].transcription == "EXIT");
    CHECK_FALSE(r[0].ignored);
    REQUIRE(r[0].polygon.size() == 4);
    CHECK(r[0].polygon[1].x == 30.5f);
    CHECK(r[0].polygon[2].y == 12.0f);
    CHECK(r[1].ignored);
    CHECK(r[1].polygon.size() == 3);
    CHECK(r[2].ignored);
    CHECK(r[3].transcription.empty());
    CHECK_FALSE(r[3].ignored);
    CHECK(f.lines[1].regions.empty());  // an image without text
  }

  TEST_CASE("ppocr labels: every malformed line is named by file and line") {
    struct Case {
      data::LabelKind kind;
      std::string text;
      std::string expected;  // after "set/labels.txt:"
    };
    const std::string good = "ok.png\ttext\n";
    const std::string box = "ok.png\t[{\"transcription\": \"a\", \"points\": [[0, 0], [4, 0], [4, 4], [0, 4]]}]\n";
    const std::vector<Case> cases = {
        {kText, good + "no-tab.png text\n", "2: no tab"},
        {kText, good + "\ttext\n", "2: no image path before the tab"},
        {kText, good + "/abs/x.png\ttext\n", "2: image path '/abs/x.png' is absolute"},
        {kText, good + "../x.png\ttext\n", "2: image path '../x.png' leaves the label file's folder"},
        {kText, good + "a/../../x.png\ttext\n", "2: image path 'a/../../x.png' leaves"},
        {kText, good + "\n./ok.png\tagain\n", "3: image './ok.png' is listed again (first on line 1)"},
        {kText, good + "bad.png\tcaf\xC3\n", "2: not valid UTF-8 (byte 12 of the line)"},
        {kText, good + "bad.png\t\xED\xA0\x80\n", "2: not valid UTF-8"},  // a surrogate
        {kText, "", "1: the label file is empty"},
        {kText, "\n\r\n", "1: the label file is empty"},
        {kText, box,
         "1: this is a detection label file (a text detector's data), but the teacher is a recognizer (task ctc)"},
        {kBoxes, good,
         "1: this is a recognition label file (image<TAB>transcription, a text recognizer's data), but the teacher "
         "is a detector (task dense)"},
        {kBoxes, box + "b.png\t{\"points\": []}\n", "2: the regions must be a JSON array"},
        {kBoxes, box + "b.png\t[{\"points\": [[0, 0], [1, 0], [1, 1]]}\n", "2: the regions are not valid JSON"},
        {kBoxes, box + "b.png\t[[[1, 2]]]\n", "2: region 1 is a JSON array, not an object"},
        {kBoxes, box + "b.png\t[{\"transcription\": \"a\"}]\n", "2: region 1 has no \"points\""},
        {kBoxes, box + "b.png\t[{\"points\": [[0, 0], [1, 1]]}]\n", "2: region 1 has 2 points; a polygon needs"},
        {kBoxes, box + "b.png\t[{\"points\": [[0, 0], [1, 0], [1e300, 1]]}]\n",
         "2: region 1 point 3 has a non-finite coordinate"},
        {kBoxes, box + "b.png\t[{\"points\": [[0, 0], [1, 0], [1, 1e999]]}]\n", "2: the regions are not valid JSON"},
        {kBoxes, box + "b.png\t[{\"points\": [[0, 0], [1, 0], [1, \"2\"]]}]\n", "2: region 1 point 3 is not [x, y]"},
        {kBoxes, box + "b.png\t[{\"transcription\": 7, \"points\": [[0, 0], [1, 0], [1, 1]]}]\n",
         "2: region 1: \"transcription\" must be a string"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      const std::string message = error_parsing(c.text, c.kind);
      CHECK(message.rfind("set/labels.txt:" + c.expected, 0) == 0);
      if (message.rfind("set/labels.txt:" + c.expected, 0) != 0) MESSAGE(message);
    }
  }

  TEST_CASE("ppocr labels: a line over 1 MiB is refused while it is read") {
    const std::string huge = "ok.png\ttext\nbig.png\t" + std::string(data::kMaxLabelLineBytes, 'x') + "\n";
    CHECK(error_parsing(huge, kText).rfind("set/labels.txt:2: line longer than 1048576 bytes (1 MiB)", 0) == 0);
    // Exactly at the limit (with its CR) is fine.
    const std::string at_limit = "a.png\t" + std::string(data::kMaxLabelLineBytes - 7, 'y') + "\r\n";
    CHECK(parse(at_limit, kText).lines.at(0).transcript.size() == data::kMaxLabelLineBytes - 7);
  }

  TEST_CASE("ppocr labels: a missing label file, and a kind that is not a PaddleOCR one") {
    CHECK(data_error_of([] { data::read_label_file("/nonexistent/labels.txt", kText); }) ==
          "/nonexistent/labels.txt: cannot open");
    CHECK(error_parsing(std::string("a.png\tb\n"), data::LabelKind::kClasses).find("not classes") != std::string::npos);
  }
}  // TEST_SUITE
