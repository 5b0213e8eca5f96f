#include "task/ctc_decoding.h"

#include <cmath>
#include <string>

#include "task/task_error.h"

namespace bespoke::task {
namespace {

void check_shape(const float* scores, int64_t lines, int64_t steps, int64_t classes, int blank) {
  if (lines < 0 || steps < 0) {
    throw TaskError("CTC decoding: negative size (batch " + std::to_string(lines) + ", steps " + std::to_string(steps) +
                    ")");
  }
  if (classes < 1) throw TaskError("CTC decoding: " + std::to_string(classes) + " classes; needs at least 1");
  if (blank < 0 || blank >= classes) {
    throw TaskError("CTC decoding: blank " + std::to_string(blank) + " is outside the " + std::to_string(classes) +
                    " classes");
  }
  if (!scores && lines > 0 && steps > 0) throw TaskError("CTC decoding: no scores");
}

CtcPath decode_line(const float* scores, int64_t steps, int64_t classes, int blank) {
  CtcPath path;
  int64_t previous = -1;
  for (int64_t t = 0; t < steps; ++t) {
    const float* row = scores + t * classes;
    int64_t best = 0;
    for (int64_t c = 0; c < classes; ++c) {
      // A NaN would lose every comparison and silently make class 0 the argmax.
      if (!std::isfinite(row[c])) {
        throw TaskError("CTC decoding: score at step " + std::to_string(t) + ", class " + std::to_string(c) +
                        " is not finite");
      }
      if (row[c] > row[best]) best = c;
    }
    if (best != previous && best != blank) {
      path.classes.push_back(static_cast<int>(best));
      path.scores.push_back(row[best]);
    }
    previous = best;
  }
  return path;
}

}  // namespace

float CtcPath::confidence() const {
  if (scores.empty()) return 0.0f;
  double sum = 0.0;
  for (float s : scores) sum += s;
  return static_cast<float>(sum / static_cast<double>(scores.size()));
}

CtcPath ctc_greedy_decode(const float* scores, int64_t steps, int64_t classes, int blank) {
  check_shape(scores, 1, steps, classes, blank);
  return decode_line(scores, steps, classes, blank);
}

std::vector<CtcPath> ctc_greedy_decode_batch(const float* scores, int64_t batch, int64_t steps, int64_t classes,
                                             int blank) {
  check_shape(scores, batch, steps, classes, blank);
  std::vector<CtcPath> paths;
  paths.reserve(static_cast<size_t>(batch));
  for (int64_t n = 0; n < batch; ++n) paths.push_back(decode_line(scores + n * steps * classes, steps, classes, blank));
  return paths;
}

CtcText ctc_greedy_text(const float* scores, int64_t steps, int64_t classes, const Charset& charset) {
  if (classes != charset.classes()) {
    throw TaskError("CTC decoding: the model has " + std::to_string(classes) + " classes, but " + charset.source() +
                    " makes " + std::to_string(charset.classes()));
  }
  const CtcPath path = ctc_greedy_decode(scores, steps, classes, charset.blank());
  return {charset.decode(path.classes), path.confidence()};
}

}  // namespace bespoke::task
