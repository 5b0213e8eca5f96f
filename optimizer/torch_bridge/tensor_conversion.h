// ir::TensorData <-> at::Tensor (CPU, row-major copies). For LibTorch users of
// the bridge: feeding graph inputs kept as IR tensors, reading results back.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "torch_bridge/bridge_error.h"

namespace bespoke::torchbridge {

at::ScalarType scalar_type_of(ir::DType dtype);
// Throws BridgeError for a scalar type the IR has no dtype for (half, complex, ...).
ir::DType dtype_of(at::ScalarType type);

// A tensor owning a copy of `data`; throws BridgeError if the byte count does
// not match the shape and dtype.
at::Tensor to_tensor(const ir::TensorData& data);
// A copy of `tensor`'s values (detached, made contiguous) with its shape and dtype.
ir::TensorData to_tensor_data(const at::Tensor& tensor);

// 1-D tensors owning a copy of `values`.
at::Tensor vector_tensor(const std::vector<int64_t>& values);
at::Tensor vector_tensor(const std::vector<float>& values);

}  // namespace bespoke::torchbridge
