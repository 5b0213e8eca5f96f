#include "task/charset.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "task/task_error.h"
#include "task/utf8.h"

namespace bespoke::task {
namespace {

// Collects characters in order, refusing duplicates with a message in the
// caller's terms ("file:line" or "characters[i]").
class CharacterList {
 public:
  void add(char32_t c, const std::string& where) {
    auto [it, inserted] = seen_.emplace(c, where);
    if (!inserted) {
      throw TaskError(where + ": duplicate character '" + encode_utf8(std::u32string(1, c)) + "' (" +
                      code_point_name(c) + "), first at " + it->second);
    }
    characters_.push_back(c);
  }
  // The space class of use_space_char, named so its duplicate is explained.
  void add_space(const std::string& source) {
    auto it = seen_.find(U' ');
    if (it != seen_.end()) {
      throw TaskError(it->second + ": a space, which use_space_char appends as its own class in " + source);
    }
    characters_.push_back(U' ');
  }
  std::u32string take() { return std::move(characters_); }
  bool empty() const { return characters_.empty(); }

 private:
  std::u32string characters_;
  std::unordered_map<char32_t, std::string> seen_;
};

// The one code point of a key-file line or list entry.
char32_t single_character(std::string_view text, const std::string& where) {
  const std::u32string points = utf8_code_points(text, where);
  if (points.empty()) throw TaskError(where + ": empty, but every entry must be one character");
  if (points.size() != 1) {
    throw TaskError(where + ": '" + std::string(text) + "' is " + std::to_string(points.size()) +
                    " characters (code points), but every entry must be one");
  }
  return points[0];
}

}  // namespace

Charset::Charset(std::string source, std::u32string characters, BlankPosition blank)
    : source_(std::move(source)), characters_(std::move(characters)) {
  blank_ = blank == BlankPosition::first ? 0 : static_cast<int>(characters_.size());
  first_character_ = blank == BlankPosition::first ? 1 : 0;
  index_.reserve(characters_.size());
  for (size_t i = 0; i < characters_.size(); ++i) {
    index_.emplace(characters_[i], first_character_ + static_cast<int>(i));
  }
}

Charset Charset::from_key_file(const std::string& path, const CharsetOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TaskError("cannot open the key file " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw TaskError("cannot read the key file " + path);
  std::string text = std::move(buffer).str();

  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  CharacterList list;
  int line = 0;
  while (!rest.empty()) {
    ++line;
    const size_t end = rest.find('\n');
    std::string_view content = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    const std::string where = path + ":" + std::to_string(line);
    list.add(single_character(content, where), where);
  }
  if (list.empty()) throw TaskError("the key file " + path + " holds no characters");
  if (options.use_space_char) list.add_space(path);
  return Charset(path, list.take(), options.blank);
}

Charset Charset::from_characters(const std::vector<std::string>& characters, const CharsetOptions& options) {
  CharacterList list;
  for (size_t i = 0; i < characters.size(); ++i) {
    const std::string where = "characters[" + std::to_string(i) + "]";
    list.add(single_character(characters[i], where), where);
  }
  if (list.empty() && !options.use_space_char) throw TaskError("a charset needs at least one character");
  if (options.use_space_char) list.add_space("<characters>");
  return Charset("<characters>", list.take(), options.blank);
}

int Charset::index_of(char32_t character) const {
  auto it = index_.find(character);
  return it == index_.end() ? -1 : it->second;
}

std::string Charset::character(int index) const {
  if (index < 0 || index >= classes()) {
    throw TaskError("class " + std::to_string(index) + " is outside the " + std::to_string(classes()) + " classes of " +
                    source_);
  }
  if (index == blank_) return {};
  std::string out;
  append_utf8(out, characters_[static_cast<size_t>(index - first_character_)]);
  return out;
}

std::optional<std::vector<int>> Charset::encode(std::string_view utf8, std::string* bad_char) const {
  const std::u32string points = utf8_code_points(utf8, "text to encode with " + source_);
  std::vector<int> out;
  out.reserve(points.size());
  for (char32_t c : points) {
    const int index = index_of(c);
    if (index < 0) {
      if (bad_char) *bad_char = encode_utf8(std::u32string(1, c));
      return std::nullopt;
    }
    out.push_back(index);
  }
  return out;
}

std::string Charset::decode(const std::vector<int>& indices) const {
  std::string out;
  for (int index : indices) {
    if (index != blank_) out += character(index);
  }
  return out;
}

}  // namespace bespoke::task
