#include "task/text_metrics.h"

#include <algorithm>

#include "task/utf8.h"

namespace bespoke::task {
namespace {

template <typename Sequence>
int64_t levenshtein(const Sequence& a, const Sequence& b) {
  // One row of the DP table, over the shorter sequence.
  const Sequence& longer = a.size() >= b.size() ? a : b;
  const Sequence& shorter = a.size() >= b.size() ? b : a;
  std::vector<int64_t> row(shorter.size() + 1);
  for (size_t j = 0; j <= shorter.size(); ++j) row[j] = static_cast<int64_t>(j);
  for (size_t i = 1; i <= longer.size(); ++i) {
    int64_t diagonal = row[0];
    row[0] = static_cast<int64_t>(i);
    for (size_t j = 1; j <= shorter.size(); ++j) {
      const int64_t above = row[j];
      const int64_t substitute = diagonal + (longer[i - 1] == shorter[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[shorter.size()];
}

}  // namespace

int64_t edit_distance(const std::vector<int>& a, const std::vector<int>& b) { return levenshtein(a, b); }
int64_t edit_distance(const std::u32string& a, const std::u32string& b) { return levenshtein(a, b); }

int64_t utf8_edit_distance(std::string_view a, std::string_view b) {
  return levenshtein(utf8_code_points(a, "edit distance, first text"),
                     utf8_code_points(b, "edit distance, second text"));
}

void TextScore::add(std::string_view prediction, std::string_view reference) {
  const std::u32string p = utf8_code_points(prediction, "predicted text");
  const std::u32string r = utf8_code_points(reference, "reference text");
  ++lines;
  exact += p == r ? 1 : 0;
  edits += levenshtein(p, r);
  reference_chars += static_cast<int64_t>(r.size());
}

void TextScore::add(const std::vector<int>& prediction, const std::vector<int>& reference) {
  ++lines;
  exact += prediction == reference ? 1 : 0;
  edits += levenshtein(prediction, reference);
  reference_chars += static_cast<int64_t>(reference.size());
}

void TextScore::merge(const TextScore& other) {
  lines += other.lines;
  exact += other.exact;
  edits += other.edits;
  reference_chars += other.reference_chars;
}

double TextScore::line_accuracy() const {
  return lines == 0 ? 1.0 : static_cast<double>(exact) / static_cast<double>(lines);
}

double TextScore::cer() const {
  return static_cast<double>(edits) / static_cast<double>(std::max<int64_t>(reference_chars, 1));
}

}  // namespace bespoke::task
