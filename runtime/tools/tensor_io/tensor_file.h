// Reading and writing tensor files, by extension: ".npy" or ".pb".
#pragma once

#include <string>

#include "core/status.h"
#include "tensor_io/host_tensor.h"

namespace bespoke::tools {

// Largest tensor file the tools accept (guards against hostile headers).
inline constexpr uint64_t kMaxTensorBytes = uint64_t{1} << 32;

rt::Status read_tensor_file(const std::string& path, HostTensor* tensor);
rt::Status write_tensor_file(const std::string& path, const HostTensor& tensor);

}  // namespace bespoke::tools
