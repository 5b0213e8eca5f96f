// PaddleOCR label files, read without touching any image. One line per image,
// "<image path><TAB><label>":
//  * recognition (LabelKind::kText): the label is the transcription, UTF-8,
//    everything after the first tab (a tab inside it is kept, for the
//    charset check to name);
//  * detection (LabelKind::kBoxes): the label is a JSON array of regions
//    [{"transcription": "...", "points": [[x, y], ...]}, ...] in the
//    original image's pixels; "transcription" may be absent (empty). PaddleOCR
//    treats the transcriptions "###" and "*" as "do not care": the polygon is
//    kept and marked ignored. An empty array is an image without text.
// The image path is relative to the label file's folder. A trailing '\r'
// (Windows line ends) and a UTF-8 byte order mark at the start are dropped;
// empty lines are skipped; line numbers count every line, from 1.
//
// Errors: a DataError whose message starts with "<path>:<line>: " and says
// what is wrong: a line over kMaxLabelLineBytes, not valid UTF-8, or without
// a tab; an empty image path, an absolute one or one escaping the folder
// ("../x.png", judged on the path as written: symbolic links are followed);
// an image listed twice (paths compared after "./" and "a/.." are resolved);
// for detection, JSON that does not parse, a region that is not an object or
// lacks "points", a polygon of fewer than 3 points, a point that is not
// [x, y] or not finite (as float); a label file of the other task (detection
// JSON given to a recognizer, a transcription given to a detector); a file
// without any image line (reported at line 1). A file that cannot be opened
// is "<path>: cannot open".
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "data/label_kind.h"
#include "data/polygon.h"

namespace bespoke::data {

inline constexpr size_t kMaxLabelLineBytes = size_t{1} << 20;

struct TextRegion {
  Polygon polygon;  // in the original image's pixels
  std::string transcription;
  bool ignored = false;  // "###" or "*"
};

struct LabelLine {
  int64_t line = 0;                 // 1-based line of the label file
  std::string image;                // as written, relative to the label file's folder
  std::string transcript;           // kText
  std::vector<TextRegion> regions;  // kBoxes
};

struct LabelFile {
  std::string path;
  LabelKind kind = LabelKind::kText;
  std::vector<LabelLine> lines;  // in file order, empty lines skipped

  // "<path>:<line>: ", the prefix of every message about that line.
  std::string where(int64_t line) const;
};

// Reads and checks a whole label file; `kind` is kText or kBoxes (the task
// the teacher has), anything else is a DataError.
LabelFile read_label_file(const std::string& path, LabelKind kind);
// The same from a stream; `path` only names it in messages.
LabelFile parse_label_file(std::istream& in, const std::string& path, LabelKind kind);

}  // namespace bespoke::data
