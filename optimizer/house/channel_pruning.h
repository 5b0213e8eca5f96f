// Pruned alternatives: the teacher span with the filters of its inner
// convolutions removed, the rest of the weights kept (then distilled).
//
// An inner convolution is a dense Conv (group 1) whose output is read by
// exactly one node and is not the span's output, where that reader is
//  * a dense Conv reading it as its data input: the reader's input channels
//    are pruned to match, or
//  * a depthwise Conv (group == channels) whose output is in turn read only by
//    a dense Conv: the depthwise channels and that Conv's inputs are pruned.
// Anything else (an Add of a residual connection, a Concat, the span output)
// fixes the channel count, so such a convolution is left whole: the span's
// input and output shapes never change.
//
// At ratio r each inner convolution keeps max(1, C - round(r * C)) of its C
// filters, those with the largest L1 norm (ties: the lower index), in their
// original order; its bias entries follow its filters.
#pragma once

#include <optional>
#include <string>

#include "ir/graph.h"

namespace bespoke::house {

// The pruned copy of `span` (a canonical single-input single-output graph
// with known shapes), or nullopt with `why_not` set when it has no inner
// convolution. Throws std::invalid_argument for r outside (0, 1).
std::optional<ir::Graph> prune_channels(const ir::Graph& span, double ratio, std::string* why_not);

// Indices of the `keep` filters of weight [C, ...] with the largest L1 norm, ascending.
std::vector<int64_t> strongest_filters(const std::vector<float>& weight, int64_t filters, int64_t keep);

}  // namespace bespoke::house
