// Channel adapters between a host graph and a replacement sub-network whose
// channel count differs at a seam (ARCHITECTURE.md: "light adapters (1x1 conv
// / channel masking) where channel counts differ"). Only the channel axis (1)
// may differ; batch and spatial dimensions must match.
//
//  kConv1x1       a trainable Conv 1x1 (rank 4) or FullyConnected (rank 2)
//                 with a zero bias. Init kIdentity: W[o][i] = (o == i), so
//                 the first min(Cin, Cout) channels pass through unchanged
//                 and extra outputs are zero (selection / zero-padding); init
//                 kRandom: W uniform in +-sqrt(3 / Cin) (variance 1 / Cin,
//                 keeping activations' scale through a linear map), from
//                 std::mt19937 seeded with `seed` mixed with the adapter's name
//                 (FNV-1a) so adapters differ and results are reproducible on
//                 every platform. Both are trained later by distillation.
//  kChannelSelect no weights: Slice keeping the first Cout channels when Cout <
//                 Cin, Pad with zero channels (masked) when Cout > Cin; any rank.
#pragma once

#include <cstdint>
#include <string>

#include "blocks/graph_assembler.h"
#include "ir/graph.h"

namespace bespoke::blocks {

enum class AdapterKind : uint8_t { kConv1x1, kChannelSelect };
enum class AdapterInit : uint8_t { kIdentity, kRandom };

struct AdapterOptions {
  AdapterKind kind = AdapterKind::kConv1x1;
  AdapterInit init = AdapterInit::kIdentity;  // kConv1x1 only
  uint32_t seed = 0;                          // kRandom only
};

// True when `from` and `to` differ in the channel axis only; false when they
// are equal. Throws BlockError "<where>: ... [1,64,56,56] ... [1,64,28,28] ..."
// when anything else differs (rank, batch, spatial size).
bool needs_channel_adapter(const ir::Shape& from, const ir::Shape& to, const std::string& where);

// Appends the adapter computing existing value `output` (shape `to`) from
// value `input` (shape `from`) to out.graph; node and weight names start with
// `name`. Returns a description for provenance ("conv1x1 64->48 identity").
std::string append_channel_adapter(GraphAssembler& out, int input, const ir::Shape& from, int output,
                                   const ir::Shape& to, const AdapterOptions& options, const std::string& name);

}  // namespace bespoke::blocks
