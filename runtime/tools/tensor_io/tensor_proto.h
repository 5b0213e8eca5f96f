// ONNX TensorProto (.pb) files through a small hand-written protobuf
// wire-format codec, so the runtime tools need no protobuf library. Reads
// dims, data_type, name and the data from float_data (packed or not) or
// raw_data; writes dims (packed), data_type, name and raw_data.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "tensor_io/host_tensor.h"

namespace bespoke::tools {

rt::Status parse_tensor_proto(const std::vector<uint8_t>& bytes, HostTensor* tensor);
std::vector<uint8_t> serialize_tensor_proto(const HostTensor& tensor);

}  // namespace bespoke::tools
