#include "torch_bridge/tensor_conversion.h"

#include <ATen/ops/empty.h>

#include <cstring>

namespace bespoke::torchbridge {

namespace {

at::Tensor copy_of(const void* bytes, size_t byte_count, const std::vector<int64_t>& shape, at::ScalarType type) {
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(type));
  if (byte_count > 0) std::memcpy(t.data_ptr(), bytes, byte_count);
  return t;
}

}  // namespace

at::ScalarType scalar_type_of(ir::DType dtype) {
  switch (dtype) {
    case ir::DType::kF32: return at::kFloat;
    case ir::DType::kI8: return at::kChar;
    case ir::DType::kU8: return at::kByte;
    case ir::DType::kI32: return at::kInt;
    case ir::DType::kI64: return at::kLong;
    case ir::DType::kBool: return at::kBool;
  }
  throw BridgeError("unknown IR dtype " + std::to_string(static_cast<int>(dtype)));
}

ir::DType dtype_of(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return ir::DType::kF32;
    case at::kChar: return ir::DType::kI8;
    case at::kByte: return ir::DType::kU8;
    case at::kInt: return ir::DType::kI32;
    case at::kLong: return ir::DType::kI64;
    case at::kBool: return ir::DType::kBool;
    default: throw BridgeError(std::string("tensor type ") + c10::toString(type) + " has no IR dtype");
  }
}

at::Tensor to_tensor(const ir::TensorData& data) {
  const int64_t count = data.elements();
  if (count < 0 || data.bytes.size() != static_cast<size_t>(count) * ir::dtype_size(data.dtype))
    throw BridgeError("tensor data of " + std::to_string(data.bytes.size()) + " bytes does not match its shape " +
                      ir::shape_string(data.shape) + " of " + ir::dtype_name(data.dtype));
  return copy_of(data.bytes.data(), data.bytes.size(), data.shape, scalar_type_of(data.dtype));
}

ir::TensorData to_tensor_data(const at::Tensor& tensor) {
  const at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
  ir::TensorData data;
  data.dtype = dtype_of(t.scalar_type());
  data.shape.assign(t.sizes().begin(), t.sizes().end());
  data.bytes.resize(static_cast<size_t>(t.numel()) * ir::dtype_size(data.dtype));
  if (!data.bytes.empty()) std::memcpy(data.bytes.data(), t.data_ptr(), data.bytes.size());
  return data;
}

at::Tensor vector_tensor(const std::vector<int64_t>& values) {
  return copy_of(values.data(), values.size() * sizeof(int64_t), {static_cast<int64_t>(values.size())}, at::kLong);
}

at::Tensor vector_tensor(const std::vector<float>& values) {
  return copy_of(values.data(), values.size() * sizeof(float), {static_cast<int64_t>(values.size())}, at::kFloat);
}

}  // namespace bespoke::torchbridge
