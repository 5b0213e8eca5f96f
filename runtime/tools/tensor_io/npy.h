// NumPy .npy files (format versions 1, 2 and 3): float32, little-endian,
// C order. Anything else is rejected with a message saying what was found.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "tensor_io/host_tensor.h"

namespace bespoke::tools {

rt::Status parse_npy(const std::vector<uint8_t>& bytes, HostTensor* tensor);
std::vector<uint8_t> serialize_npy(const HostTensor& tensor);

}  // namespace bespoke::tools
