// Canonical IR -> ONNX ModelProto (opsets 13..17), for inspecting a student
// in standard tools or running it in ONNX Runtime. Value names are kept;
// helper values the expansion needs get fresh unique names.
//
// Canonical ops without a one-to-one ONNX op are expanded:
//   FullyConnected -> Gemm(transB=1) for a 2-D input, else MatMul(W^T) [+ Add(B)]
//   SiLU           -> Sigmoid + Mul
//   HardSwish      -> HardSwish (opset >= 14), else HardSigmoid(1/6, 1/2) + Mul
//   ChannelShuffle -> Reshape + Transpose + Reshape
//   fused activation attributes -> a separate Relu / Clip node
// Clip/Pad/Slice/Split/Resize take their parameters as constant inputs, and
// Reshape a constant shape (the output value's shape). Constants become
// initializers. Non-canonical graphs throw ExportError naming the node.
#pragma once

#include <string>

#include "export/export_error.h"
#include "ir/graph.h"

namespace bespoke::onnx_export {

// A serialized onnx::ModelProto.
std::string write_onnx(const ir::Graph& g, int opset = 17);
void save_onnx(const ir::Graph& g, const std::string& path, int opset = 17);

}  // namespace bespoke::onnx_export
