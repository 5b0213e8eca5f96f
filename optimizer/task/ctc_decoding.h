// Greedy (best-path) CTC decoding of a recognizer's output, as PaddleOCR's
// CTCLabelDecode does: per time step the class with the highest score, runs
// of the same class collapsed to one, blanks dropped. "a a - a b b" (- the
// blank) reads "aab": the blank between the a's separates two characters.
//
// Scores are [T, C] row-major per line (probabilities after the softmax, or
// logits: the argmax is the same); ties go to the lower class, as numpy's
// argmax does. Each kept character carries the score of the first step of
// its run, and a line's confidence is their mean (0 for an empty line),
// PaddleOCR's definition; it is a probability only when the scores are.
//
// T = 0 is an empty line. A null pointer with T > 0, C < 1, a blank outside
// [0, C), a non-finite score, or a charset whose classes() is not C throw
// TaskError.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "task/charset.h"

namespace bespoke::task {

struct CtcPath {
  std::vector<int> classes;   // the decoded class sequence, no blanks
  std::vector<float> scores;  // per decoded class: the score of the first step of its run
  float confidence() const;   // mean of scores, 0 when empty
};

// One line: scores of [steps, classes].
CtcPath ctc_greedy_decode(const float* scores, int64_t steps, int64_t classes, int blank);
// A batch: scores of [batch, steps, classes], one path per line.
std::vector<CtcPath> ctc_greedy_decode_batch(const float* scores, int64_t batch, int64_t steps, int64_t classes,
                                             int blank);

struct CtcText {
  std::string text;  // UTF-8
  float confidence = 0.0f;
};

// One line of [steps, classes] decoded to text with `charset` (and its blank);
// `classes` is the model's C, checked against charset.classes().
CtcText ctc_greedy_text(const float* scores, int64_t steps, int64_t classes, const Charset& charset);

}  // namespace bespoke::task
