// Minimal reader/writer for NumPy .npy files holding one C-ordered,
// little-endian float array ('<f4'; '<f8' is read and narrowed to float).
// Used for the reference inputs/outputs produced by PyTorch and ONNX Runtime.
// Errors throw std::runtime_error naming the file and the problem.
#pragma once

#include <string>

#include "harness/float_tensor.h"

namespace bespoke::e2e {

FloatTensor read_npy(const std::string& path);
void write_npy(const std::string& path, const FloatTensor& tensor);

}  // namespace bespoke::e2e
