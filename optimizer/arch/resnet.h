// The CIFAR-style ResNet family of architecture.h, by its parameters.
#pragma once

#include <cstdint>

#include "arch/architecture.h"

namespace bespoke::arch {

struct ResNetSpec {
  int64_t blocks_per_stage = 1;  // n: depth 6n + 2
  int64_t width = 32;            // channels of stage 1 (stages 2, 3: 2x, 4x)
  int64_t stem_stride = 2;
};

ir::Graph make_resnet(const std::string& graph_name, const ResNetSpec& spec, const ArchitectureOptions& options);

}  // namespace bespoke::arch
