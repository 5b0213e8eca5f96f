// Least-squares start for a pretrained alternative's output adapter.
//
// A pretrained span's features live on another scale than the teacher's (its
// source saw normalized RGB images, not the teacher's activations): through
// an identity-initialized 1x1 adapter its output misses the teacher's feature
// by tens of times the feature's variance, and Adam, which moves each weight
// by about the learning rate per step, needs thousands of steps to rescale a
// weight of 1 to 0.05. The adapter is linear, so its best start is a
// closed-form fit: ridge regression of the teacher's feature (per pixel,
// every channel) on the adapter's input, over a sample of the training
// features. Distillation then trains everything from there.
#pragma once

#include <ATen/core/Tensor.h>

#include "torch_bridge/graph_module.h"

namespace bespoke::house {

// Marker in the node name of an output adapter (blocks::stitch names its
// adapters "<replacement>/adapter_out").
inline constexpr const char* kOutputAdapterMarker = "adapter_out";

// When the node writing the module's output is a 1x1, group-1 Conv without
// activation whose name contains kOutputAdapterMarker, sets its weights and
// bias to the ridge-regression fit of `target` on its input, computed from
// `input` (both [N, ...], at most `max_images` used), and returns true.
// Otherwise returns false and changes nothing.
bool fit_output_projection(torchbridge::GraphModule& module, const at::Tensor& input, const at::Tensor& target,
                           int64_t max_images = 1024);

// The input side has no target to fit, but the same problem: an identity
// 1x1 adapter hands the pretrained span the teacher's first C channels only,
// on the teacher's scale. Its start instead is whitened PCA: the C principal
// directions of the teacher's feature (per pixel, over the sample), each
// scaled to unit variance and centred, so the span sees the most informative
// mix of all channels on the scale its own (folded) normalization expects.
// Applies when the node reading the module's input is a 1x1, group-1 Conv
// without activation whose name contains "adapter_in"; returns whether it did.
inline constexpr const char* kInputAdapterMarker = "adapter_in";
bool fit_input_projection(torchbridge::GraphModule& module, const at::Tensor& input, int64_t max_images = 1024);

}  // namespace bespoke::house
