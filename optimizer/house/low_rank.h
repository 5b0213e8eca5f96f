// Low-rank alternatives: the teacher span with each dense convolution
// W [O, I, kh, kw] factorized by a truncated SVD of W as an O x (I kh kw)
// matrix, W ~ U_r S_r V_r^T, into
//   a kh x kw convolution with r filters, weights sqrt(S_r) V_r^T, no bias,
//   the original stride, padding and dilation, then
//   a 1x1 convolution r -> O, weights U_r sqrt(S_r), the original bias and
//   fused activation.
// r = max(1, round(ratio * min(O, I kh kw))). A convolution whose factorized
// form would not have fewer parameters (r (I kh kw + O) >= O I kh kw) is
// kept whole. The factorization is the best rank-r approximation of W
// (Eckart-Young), so distillation starts close to the teacher.
#pragma once

#include <optional>
#include <string>

#include "ir/graph.h"

namespace bespoke::house {

// The factorized copy of `span` (canonical, single-input single-output, known
// shapes), or nullopt with `why_not` set when no convolution gains from it.
// Throws std::invalid_argument for a ratio outside (0, 1).
std::optional<ir::Graph> factorize_low_rank(const ir::Graph& span, double ratio, std::string* why_not);

}  // namespace bespoke::house
