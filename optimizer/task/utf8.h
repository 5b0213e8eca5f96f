// UTF-8 <-> Unicode code points, for the character set and the text metrics:
// a "character" everywhere in the task head is one code point (PaddleOCR
// iterates a Python str, which is the same thing).
//
// Decoding is strict (RFC 3629): overlong forms, surrogates (U+D800..DFFF),
// values above U+10FFFF and truncated or stray continuation bytes are
// invalid, because a lenient decoder would map two different byte strings to
// the same characters and hide a broken label file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::task {

// The code points of `text`, or nullopt when it is not valid UTF-8; then
// *bad_offset (if given) is the byte offset of the first invalid sequence.
std::optional<std::u32string> decode_utf8(std::string_view text, size_t* bad_offset = nullptr);

// As decode_utf8, but throws TaskError "<what>: invalid UTF-8 at byte N".
std::u32string utf8_code_points(std::string_view text, std::string_view what);

// Appends the UTF-8 form of `code_point`; throws TaskError for a surrogate or
// a value above U+10FFFF.
void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(const std::u32string& code_points);

// "U+4E2D", for messages about a character that may not print.
std::string code_point_name(char32_t code_point);

}  // namespace bespoke::task
