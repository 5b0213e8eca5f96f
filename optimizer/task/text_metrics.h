// How well recognized text lines match their labels.
//
// Definitions:
//  * edit distance: Levenshtein, the fewest single-character insertions,
//    deletions and substitutions turning one sequence into the other; on text
//    a character is a code point, so one Chinese character is one edit, not
//    three bytes;
//  * character error rate (CER) of a set of lines: the sum of the lines' edit
//    distances divided by the sum of their reference lengths (pooled, so a
//    long line weighs more than a short one); it exceeds 1 when predictions
//    insert more characters than the references hold;
//  * line accuracy: the fraction of lines predicted exactly.
// Texts are compared as given: no case folding, no space or punctuation
// removal (PaddleOCR's RecMetric removes spaces; do it before add() to match).
//
// Edge cases: with no lines, line_accuracy() is 1 and cer() 0 (nothing was
// got wrong); when every reference is empty but predictions are not, cer()
// divides by 1, i.e. counts the inserted characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::task {

// O(|a| * |b|) time, O(min) memory.
int64_t edit_distance(const std::vector<int>& a, const std::vector<int>& b);
int64_t edit_distance(const std::u32string& a, const std::u32string& b);
// On code points; throws TaskError when either is not valid UTF-8.
int64_t utf8_edit_distance(std::string_view a, std::string_view b);

struct TextScore {
  int64_t lines = 0;
  int64_t exact = 0;            // lines predicted exactly
  int64_t edits = 0;            // sum of edit distances
  int64_t reference_chars = 0;  // sum of reference lengths

  // UTF-8 texts; throws TaskError when either is not valid UTF-8.
  void add(std::string_view prediction, std::string_view reference);
  // Class sequences (Charset::encode of the label, the CTC path).
  void add(const std::vector<int>& prediction, const std::vector<int>& reference);
  void merge(const TextScore& other);

  double line_accuracy() const;
  double cer() const;
};

}  // namespace bespoke::task
