// The classes of a CTC text recognizer: one blank plus one class per
// character, as PaddleOCR's key files define them.
//
// Definitions:
//  * a key file (ppocr_keys_v1.txt) holds one character per line, UTF-8; a
//    character is one Unicode code point. Line k (1-based) is class k when the
//    blank comes first (PP-OCR: blank = 0), class k - 1 when it comes last;
//  * use_space_char (PP-OCR's recognizers are trained with it) appends one
//    space class after the file's characters;
//  * so classes() = characters in the file + 1 (blank) + 1 (space, if used):
//    6623 + 2 = 6625 for ppocr_keys_v1.txt, the C of the [N, T, C] output.
//
// Reading: "\n" or "\r\n" ends a line, the final line may lack one, and a
// UTF-8 byte order mark before line 1 is dropped (editors add it; PaddleOCR
// would keep it as part of the first character, which then never matches).
// Everything else is refused with a TaskError naming the file and line, since
// a skipped or merged line would shift every later class by one and turn the
// model's output into wrong text without any other sign: a missing or
// unreadable file, a file without characters, an empty line, a line of
// several code points, invalid UTF-8, a character listed twice (a space in
// the file is a duplicate of the use_space_char class).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bespoke::task {

enum class BlankPosition { first, last };

struct CharsetOptions {
  BlankPosition blank = BlankPosition::first;
  bool use_space_char = true;
};

class Charset {
 public:
  // The characters of a PaddleOCR key file (errors as in the header comment).
  static Charset from_key_file(const std::string& path, const CharsetOptions& options = {});
  // The characters in order, one code point per entry (tests, tiny models);
  // errors name "characters[i]".
  static Charset from_characters(const std::vector<std::string>& characters, const CharsetOptions& options = {});

  int classes() const { return static_cast<int>(characters_.size()) + 1; }
  int blank() const { return blank_; }
  // "ppocr_keys_v1.txt" or "<characters>": for messages.
  const std::string& source() const { return source_; }

  // The class of a character, or -1 when the charset does not hold it.
  int index_of(char32_t character) const;
  // The UTF-8 of a class; the blank is "". Throws TaskError outside [0, classes()).
  std::string character(int index) const;

  // The classes of the characters of `utf8`, or nullopt when one is not in
  // the charset; then *bad_char (if given) is the first such character. Throws
  // TaskError when `utf8` is not valid UTF-8.
  std::optional<std::vector<int>> encode(std::string_view utf8, std::string* bad_char = nullptr) const;
  // The text of a class sequence; blanks stand for nothing and are skipped.
  // Throws TaskError for an index outside [0, classes()).
  std::string decode(const std::vector<int>& indices) const;

 private:
  Charset(std::string source, std::u32string characters, BlankPosition blank);

  std::string source_;
  std::u32string characters_;  // the non-blank classes in class order
  int blank_ = 0;
  int first_character_ = 1;  // class of characters_[0]
  std::unordered_map<char32_t, int> index_;
};

}  // namespace bespoke::task
