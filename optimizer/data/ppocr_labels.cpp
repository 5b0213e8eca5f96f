#include "data/ppocr_labels.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "data/data_error.h"

namespace bespoke::data {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Lines of a stream, each checked against kMaxLabelLineBytes while it is
// read, so that a file without line breaks cannot exhaust memory.
class LineReader {
 public:
  LineReader(std::istream& in, const LabelFile& file) : in_(in), file_(file), buffer_(size_t{1} << 16) {}

  // The next line without its '\n' (line() is its number); false at the end.
  bool next(std::string& text) {
    text.clear();
    bool started = false;
    for (;;) {
      if (begin_ == end_ && !fill()) {
        if (started) ++line_;
        return started;
      }
      const char* from = buffer_.data() + begin_;
      const char* stop = buffer_.data() + end_;
      const auto* newline = static_cast<const char*>(std::memchr(from, '\n', static_cast<size_t>(stop - from)));
      const char* until = newline ? newline : stop;
      text.append(from, until);
      started = true;
      if (text.size() > kMaxLabelLineBytes) {
        throw DataError(file_.where(line_ + 1) + "line longer than " + std::to_string(kMaxLabelLineBytes) +
                        " bytes (1 MiB)");
      }
      begin_ = static_cast<size_t>(until - buffer_.data());
      if (newline) {
        ++begin_;
        ++line_;
        return true;
      }
    }
  }
  int64_t line() const { return line_; }

 private:
  bool fill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (in_.bad()) throw DataError(file_.path + ": cannot read");
    begin_ = 0;
    end_ = static_cast<size_t>(in_.gcount());
    return end_ > 0;
  }

  std::istream& in_;
  const LabelFile& file_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0;
  int64_t line_ = 0;
};

// Offset of the first byte that does not belong to well-formed UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included), or npos.
size_t invalid_utf8_at(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t tail = 0;
    uint32_t code = 0, smallest = 0;
    if ((lead & 0xE0) == 0xC0) {
      tail = 1, code = lead & 0x1Fu, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      tail = 2, code = lead & 0x0Fu, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      tail = 3, code = lead & 0x07u, smallest = 0x10000;
    } else {
      return i;
    }
    if (i + tail >= s.size()) return i;
    for (size_t k = 1; k <= tail; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += tail + 1;
  }
  return std::string::npos;
}

// nlohmann's message without its "[json.exception.parse_error.101] " tag.
std::string json_message(const json::exception& e) {
  const std::string text = e.what();
  const size_t tag_end = text.find("] ");
  return tag_end == std::string::npos ? text : text.substr(tag_end + 2);
}

std::string first_non_space(const std::string& s) {
  const size_t i = s.find_first_not_of(" \t");
  return i == std::string::npos ? std::string() : s.substr(i, 1);
}

// A path inside the label file's folder: relative, and never climbing above
// it ("a/../b.png" is fine, "a/../../b.png" is not).
void check_image_path(const std::string& image, const std::string& where) {
  if (image.empty()) throw DataError(where + "no image path before the tab");
  const fs::path path(image);
  if (path.is_absolute() || path.has_root_path()) {
    throw DataError(where + "image path '" + image + "' is absolute; paths are relative to the label file's folder");
  }
  int64_t depth = 0;
  for (const fs::path& part : path) {
    if (part == "..") {
      if (--depth < 0) {
        throw DataError(where + "image path '" + image +
                        "' leaves the label file's folder; paths are relative to that folder");
      }
    } else if (part != "." && !part.empty()) {
      ++depth;
    }
  }
}

// True when `label` is detection JSON: a non-empty array of objects that all
// have "points" (a transcription that merely starts with '[' is not).
bool looks_like_detection(const std::string& label) {
  if (first_non_space(label) != "[") return false;
  const json value = json::parse(label, nullptr, false);
  if (value.is_discarded() || !value.is_array() || value.empty()) return false;
  return std::all_of(value.begin(), value.end(),
                     [](const json& region) { return region.is_object() && region.contains("points"); });
}

Point parse_point(const json& value, const std::string& where, size_t region, size_t index) {
  const std::string what = "region " + std::to_string(region + 1) + " point " + std::to_string(index + 1);
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number()) {
    throw DataError(where + what + " is not [x, y] (two numbers)");
  }
  const Point p{static_cast<float>(value[0].get<double>()), static_cast<float>(value[1].get<double>())};
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
    throw DataError(where + what + " has a non-finite coordinate (" + std::to_string(value[0].get<double>()) + ", " +
                    std::to_string(value[1].get<double>()) + ")");
  }
  return p;
}

std::vector<TextRegion> parse_regions(const std::string& label, const std::string& where) {
  const std::string start = first_non_space(label);
  if (start != "[") {
    if (start == "{") throw DataError(where + "the regions must be a JSON array [{...}, ...], not one object");
    throw DataError(where +
                    "this is a recognition label file (image<TAB>transcription, a text recognizer's data), but the "
                    "teacher is a detector (task dense)");
  }
  json value;
  try {
    value = json::parse(label);
  } catch (const json::exception& e) {
    throw DataError(where + "the regions are not valid JSON: " + json_message(e));
  }
  if (!value.is_array()) throw DataError(where + "the regions must be a JSON array [{...}, ...]");
  std::vector<TextRegion> regions;
  regions.reserve(value.size());
  for (size_t r = 0; r < value.size(); ++r) {
    const json& item = value[r];
    const std::string name = "region " + std::to_string(r + 1);
    // Types, never dump(): a deeply nested value would recurse that deep.
    if (!item.is_object()) throw DataError(where + name + " is a JSON " + item.type_name() + ", not an object");
    if (!item.contains("points")) throw DataError(where + name + " has no \"points\"");
    const json& points = item["points"];
    if (!points.is_array()) throw DataError(where + name + ": \"points\" must be [[x, y], ...]");
    if (points.size() < 3) {
      throw DataError(where + name + " has " + std::to_string(points.size()) + " points; a polygon needs at least 3");
    }
    TextRegion region;
    if (item.contains("transcription")) {
      if (!item["transcription"].is_string()) throw DataError(where + name + ": \"transcription\" must be a string");
      region.transcription = item["transcription"].get<std::string>();
    }
    region.ignored = region.transcription == "###" || region.transcription == "*";
    region.polygon.reserve(points.size());
    for (size_t k = 0; k < points.size(); ++k) region.polygon.push_back(parse_point(points[k], where, r, k));
    regions.push_back(std::move(region));
  }
  return regions;
}

}  // namespace

std::string LabelFile::where(int64_t line) const { return path + ":" + std::to_string(line) + ": "; }

LabelFile parse_label_file(std::istream& in, const std::string& path, LabelKind kind) {
  LabelFile file;
  file.path = path;
  file.kind = kind;
  if (kind != LabelKind::kText && kind != LabelKind::kBoxes) {
    throw DataError(path + ": PaddleOCR label files hold text or boxes, not " + label_kind_name(kind));
  }
  LineReader reader(in, file);
  std::unordered_map<std::string, int64_t> first_line;  // normalized image path -> its line
  std::string text;
  while (reader.next(text)) {
    const int64_t number = reader.line();
    const std::string where = file.where(number);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (number == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (text.empty()) continue;
    if (const size_t bad = invalid_utf8_at(text); bad != std::string::npos) {
      throw DataError(where + "not valid UTF-8 (byte " + std::to_string(bad + 1) + " of the line)");
    }
    const size_t tab = text.find('\t');
    if (tab == std::string::npos) {
      throw DataError(where + "no tab: PaddleOCR label lines are '<image path><TAB><label>'");
    }
    LabelLine line;
    line.line = number;
    line.image = text.substr(0, tab);
    check_image_path(line.image, where);
    const std::string key = fs::path(line.image).lexically_normal().generic_string();
    if (const auto [it, added] = first_line.emplace(key, number); !added) {
      throw DataError(where + "image '" + line.image + "' is listed again (first on line " +
                      std::to_string(it->second) + ")");
    }
    std::string label = text.substr(tab + 1);
    if (kind == LabelKind::kText) {
      if (looks_like_detection(label)) {
        throw DataError(where +
                        "this is a detection label file (a text detector's data), but the teacher is a recognizer "
                        "(task ctc)");
      }
      line.transcript = std::move(label);
    } else {
      line.regions = parse_regions(label, where);
    }
    file.lines.push_back(std::move(line));
  }
  if (file.lines.empty()) throw DataError(file.where(1) + "the label file is empty (no image lines)");
  return file;
}

LabelFile read_label_file(const std::string& path, LabelKind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open");
  return parse_label_file(in, path, kind);
}

}  // namespace bespoke::data
