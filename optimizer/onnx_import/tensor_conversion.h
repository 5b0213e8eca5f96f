// Internal: ONNX TensorProto / AttributeProto -> IR constants and attributes.
//
// Element types follow ir::dtype_from_onnx: float16, bfloat16 and double are
// narrowed to float32 and 16/32-bit integers widened, because the IR computes
// in those; strings and complex types are rejected. Sizes are bounded and the
// stored byte count is checked against the dims before anything is copied.
#pragma once

#include <optional>
#include <string>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"

namespace bespoke::onnx_import::detail {

// Largest constant accepted (bytes after conversion).
constexpr int64_t kMaxTensorBytes = int64_t{1} << 31;

// "FLOAT", "INT64", ... (the TensorProto enum name) for messages.
std::string onnx_type_name(int32_t elem_type);

// `where` names the tensor in messages ("initializer 'conv1.weight'").
// Throws ImportError.
ir::TensorData tensor_from_proto(const onnx::TensorProto& t, const std::string& where);

// int -> int64_t, float -> double, string, ints, floats; a one-element tensor
// becomes a scalar (int64_t for integer/bool tensors, double for floating
// ones: ConstantOfShape's `value`). nullopt for what the IR cannot represent
// (graphs, multi-element tensors, strings lists, ...): only operators the IR
// does not support carry those, and legalize() reports the operator.
std::optional<ir::Attribute> attribute_from_proto(const onnx::AttributeProto& a, const std::string& where);

}  // namespace bespoke::onnx_import::detail
